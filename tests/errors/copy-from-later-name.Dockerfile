FROM golang:1.22 AS build
COPY --from=runtime /etc/passwd /etc/passwd
RUN go build -o /app .
FROM alpine AS runtime
COPY --from=build /app /app
