module example.com/go-dpkg-arch-dir

go 1.22
