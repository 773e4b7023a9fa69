#include <assert.h>
#include <stdio.h>
#include "vowels.h"

int main(void) {
    assert(count_vowels("EDUCATION") == 5);
    assert(count_vowels("Apple") == 2);
    assert(count_vowels("banana") == 3);
    assert(count_vowels("rhythm") == 0);
    puts("ok");
    return 0;
}
