#!/bin/sh
# the plugin the app loads at run time
set -e
gcc -shared -fPIC -O2 -o "$1/ext.so" ext/ext.c
