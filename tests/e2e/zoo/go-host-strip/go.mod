module example.com/go-host-strip

go 1.22
