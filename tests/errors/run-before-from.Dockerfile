RUN apk add go
FROM alpine
