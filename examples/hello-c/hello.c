/* Prints the architecture it was compiled for, in Docker's spelling, so a
 * multi-platform image shows which binary each platform really got. */
#include <stdio.h>

#if defined(__x86_64__)
#define ARCH "amd64"
#elif defined(__aarch64__)
#define ARCH "arm64"
#elif defined(__arm__)
#define ARCH "arm"
#elif defined(__i386__)
#define ARCH "386"
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#define ARCH "ppc64le"
#elif defined(__s390x__)
#define ARCH "s390x"
#elif defined(__riscv) && __riscv_xlen == 64
#define ARCH "riscv64"
#else
#error "unknown architecture"
#endif

int main(void)
{
    printf("Hello, %s!\n", ARCH);
    return 0;
}
