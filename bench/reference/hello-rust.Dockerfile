# Hand-converted hello-rust, for the benchmark only, while xbuild does not convert
# Rust yet (issue 3): the builder runs on $BUILDPLATFORM and cargo cross-compiles.
FROM --platform=$BUILDPLATFORM rust:1.63 AS builder
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
ARG TARGETARCH
RUN case "$TARGETARCH" in \
      amd64) t=x86_64-unknown-linux-gnu ;; arm64) t=aarch64-unknown-linux-gnu ;; \
      *) echo "unsupported $TARGETARCH" >&2; exit 1 ;; \
    esac \
 && cargo build --release --locked --target "$t" \
 && cp "target/$t/release/hello" /hello

FROM debian:bookworm-slim
COPY --from=builder /hello /usr/local/bin/hello
CMD ["hello"]
