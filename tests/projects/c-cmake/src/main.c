#include <stdio.h>
#include <sqlite3.h>
#include <zlib.h>

int main(void) {
    printf("zlib %s sqlite %s\n", zlibVersion(), sqlite3_libversion());
    return 0;
}
