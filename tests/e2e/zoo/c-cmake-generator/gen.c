#include <stdio.h>
int main(void) { printf("#define TABLE_SIZE %d\n", (int)sizeof(void *) * 8); return 0; }
