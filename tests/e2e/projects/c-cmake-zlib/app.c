/* Links the target's zlib (zlib1g-dev:<debarch> in the converted build stage; CMake's
 * find_package must find the target's library, not the build machine's). Prints the
 * architecture it was compiled for, in Docker's spelling, then zlib's runtime version. */
#include <stdio.h>
#include <zlib.h>

#if defined(__x86_64__)
#define ARCH "amd64"
#elif defined(__aarch64__)
#define ARCH "arm64"
#else
#error "unknown architecture"
#endif

int main(void)
{
    printf("Hello, %s!\n", ARCH);
    printf("zlib %s\n", zlibVersion());
    return 0;
}
