module example.com/go-cgo-bash-heredoc

go 1.22
