FROM golang:1.22 AS build
RUN go build -o /app .
FROM alpine
COPY --from=7 /app /app
