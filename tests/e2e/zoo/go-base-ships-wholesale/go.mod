module example.com/go-base-ships-wholesale

go 1.22
