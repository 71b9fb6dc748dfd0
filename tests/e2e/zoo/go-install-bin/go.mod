module example.com/go-install-bin

go 1.22
