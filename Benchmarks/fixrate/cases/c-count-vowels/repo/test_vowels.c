#include <assert.h>
#include <stdio.h>
#include "vowels.h"

int main(void) {
    assert(count_vowels("banana") == 3);
    assert(count_vowels("") == 0);
    puts("ok");
    return 0;
}
