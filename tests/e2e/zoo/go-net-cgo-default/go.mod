module example.com/go-net-cgo-default

go 1.22
