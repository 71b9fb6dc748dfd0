#include <stdio.h>
#include <zlib.h>

int main(void) { printf("meson zlib %s\n", zlibVersion()); return 0; }
