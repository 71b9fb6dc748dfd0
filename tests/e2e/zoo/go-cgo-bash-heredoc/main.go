package main

/*
static int answer(void) { return 42; }
*/
import "C"

import (
	"fmt"
	"runtime"
)

func main() { fmt.Printf("Hello, %s! %d\n", runtime.GOARCH, C.answer()) }
