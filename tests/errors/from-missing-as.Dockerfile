FROM golang:1.22 builder
RUN go build .
