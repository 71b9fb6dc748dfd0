module example.com/go-cgo-sqlite

go 1.22
