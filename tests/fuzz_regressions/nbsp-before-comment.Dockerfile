FROM alpine
 # a comment after a no-break space
RUN true
