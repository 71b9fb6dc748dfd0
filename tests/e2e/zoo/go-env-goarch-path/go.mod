module example.com/go-env-goarch-path

go 1.22
