module example.com/go-make-goarch-default

go 1.22
