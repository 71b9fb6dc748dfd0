module example.com/go-cgo-plain

go 1.22
