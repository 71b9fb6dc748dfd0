package main

import (
	"fmt"

	"example.com/shop/internal/greet"
)

func main() { fmt.Println(greet.Hello("api")) }
