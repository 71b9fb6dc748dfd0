// Command worker processes jobs.
package main

import "fmt"

func main() { fmt.Println("worker") }
