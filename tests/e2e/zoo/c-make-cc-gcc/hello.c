#include <stdio.h>

int main(void) {
#if defined(__aarch64__)
    puts("Hello, arm64!");
#elif defined(__x86_64__)
    puts("Hello, amd64!");
#else
    puts("Hello, other!");
#endif
    return 0;
}
