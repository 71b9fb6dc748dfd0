ARG GO=1.22
FROM golang:1.22 AS build
FROM 
WORKDIR go go go build --from=0
WORKDIR  go  go  build  x\ y  TARGETARCH=amd64 \
   \
# inside\
  \
  	
 VOLUME 
 COPY  go  install  go  echo \
    echo é \

WORKDIR go go <<EOF \
# inside