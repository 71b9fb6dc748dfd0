package main

/*
#cgo LDFLAGS: -lsqlite3
#include <sqlite3.h>
*/
import "C"

import (
	"fmt"
	"runtime"
)

func main() {
	fmt.Printf("Hello, %s!\nSQLite %s\n", runtime.GOARCH, C.GoString(C.sqlite3_libversion()))
}
