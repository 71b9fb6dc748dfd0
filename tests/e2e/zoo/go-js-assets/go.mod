module example.com/go-js-assets

go 1.22
