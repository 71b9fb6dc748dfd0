 FROM alpine
RUN true
