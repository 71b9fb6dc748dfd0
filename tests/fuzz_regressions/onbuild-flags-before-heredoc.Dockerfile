FROM alpine
ONBUILD --mount=type=cache,target=/x RUN <<EOF
echo hi
EOF
RUN true
