package greet

// Hello greets.
func Hello(who string) string { return "hello " + who }
