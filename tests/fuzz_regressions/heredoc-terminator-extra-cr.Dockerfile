FROM alpine
RUN <<EOF
echo x
EOF
RUN true
