# Hand-converted hello-c, for the benchmark only, while xbuild does not convert
# C yet (issue 3): the builder runs on $BUILDPLATFORM with a cross gcc.
FROM --platform=$BUILDPLATFORM gcc:12 AS builder
WORKDIR /src
COPY hello.c Makefile ./
ARG TARGETARCH
RUN case "$TARGETARCH" in \
      amd64) cc=x86_64-linux-gnu-gcc ;; arm64) cc=aarch64-linux-gnu-gcc ;; \
      *) echo "unsupported $TARGETARCH" >&2; exit 1 ;; \
    esac \
 && make CC="$cc"

FROM debian:bookworm-slim
COPY --from=builder /src/hello /usr/local/bin/hello
CMD ["hello"]
