module example.com/shop

go 1.22.3

toolchain go1.23.1
