FROM --platform=$BUILDPLATFORM
RUN true
