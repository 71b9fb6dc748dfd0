FROM alpine
ONBUILD RUN <<EOF <<EOT
echo a
EOF
echo b
EOT
RUN true
