package main

/*
#cgo LDFLAGS: -lsqlite3 -lm
#cgo linux pkg-config: zlib
#include <sqlite3.h>
#include <zlib.h>
*/
import "C"

import "fmt"

func main() {
	fmt.Println(C.GoString(C.sqlite3_libversion()), C.GoString(C.zlibVersion()))
}
