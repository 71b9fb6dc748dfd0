FROM alpine
FROBNICATE /x
RUN true
