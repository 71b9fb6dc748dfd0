#include <stdio.h>
#include <zlib.h>

int main(void) { printf("hello, zlib %s\n", zlibVersion()); return 0; }
