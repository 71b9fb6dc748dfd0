module example.com/go-ships-go-tool

go 1.22
