module example.com/stdlibsvc

go 1.22
