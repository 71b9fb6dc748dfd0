RUN ["sh", "-c"] <<EOF
echo
EOF
