#include <stdio.h>
#include "table.h"
int main(void) { printf("%d\n", table[2]); return 0; }
