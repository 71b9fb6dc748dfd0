module example.com/go-pure

go 1.22
