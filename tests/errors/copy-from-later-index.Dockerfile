FROM golang:1.22 AS build
RUN go build -o /app .
COPY --from=1 /x /x
FROM alpine
COPY --from=build /app /app
