package main

import (
	"fmt"
	"net"
	"os/user"
	"runtime"
)

func main() {
	_, err := net.LookupHost("localhost")
	u, _ := user.Current()
	fmt.Printf("Hello, %s! (%v, %v)\n", runtime.GOARCH, err == nil, u != nil)
}
