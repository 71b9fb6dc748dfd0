FROM \\
 \
# inside