module github.com/example/notes/v2

go 1.21
