#include <ctype.h>

#include "vowels.h"

/* Number of vowels (a, e, i, o, u) in text. */
int count_vowels(const char *text) {
    int count = 0;
    for (const char *p = text; *p; p++) {
        switch (tolower((unsigned char)*p)) {
        case 'a': case 'e': case 'i': case 'o': case 'u':
            count++;
            break;
        default:
            break;
        }
    }
    return count;
}
