module example.com/go-so-by-script

go 1.22
