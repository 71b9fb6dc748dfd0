ARG GO=1.22
FROM go --platform=$BUILDPLATFORM \
 \
 \  
# inside