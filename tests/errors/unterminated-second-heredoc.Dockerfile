FROM alpine
COPY <<EOF <<EOT /x
body
EOF
