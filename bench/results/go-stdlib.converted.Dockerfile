FROM --platform=$BUILDPLATFORM golang:1.22-bookworm AS build
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
ARG TARGETOS TARGETARCH TARGETVARIANT
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -trimpath -ldflags="-s -w" -o /out/stdlibsvc .

FROM debian:bookworm-slim
COPY --from=build /out/stdlibsvc /usr/local/bin/stdlibsvc
ENTRYPOINT ["stdlibsvc"]
