#include <stdio.h>
#include <libxml/xmlversion.h>
#include <zlib.h>

int main(void) { printf("%s %s\n", LIBXML_DOTTED_VERSION, zlibVersion()); return 0; }
