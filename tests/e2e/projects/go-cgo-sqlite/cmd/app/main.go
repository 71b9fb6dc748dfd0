// cgo against the target's libsqlite3 (libsqlite3-dev:<debarch> in the converted build
// stage, linked by the target's cross gcc). Prints the architecture it was compiled for,
// in Docker's spelling, then SQLite's runtime version.
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
	fmt.Printf("Hello, %s!\n", runtime.GOARCH)
	fmt.Printf("SQLite %s\n", C.GoString(C.sqlite3_libversion()))
}
