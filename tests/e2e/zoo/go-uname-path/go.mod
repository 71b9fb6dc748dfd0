module example.com/go-uname-path

go 1.22
