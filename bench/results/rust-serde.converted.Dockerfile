FROM --platform=$BUILDPLATFORM rust:1.80-bookworm AS build
WORKDIR /src
COPY Cargo.toml ./
ARG TARGETPLATFORM
# xbuild: cross toolchain; rows: Debian arch, GNU triple, Rust target (from xbuild's platform table)
RUN set -e; case "$TARGETPLATFORM" in linux/amd64*) set -- amd64 x86_64-linux-gnu x86_64-unknown-linux-gnu ;; \
      linux/arm64*) set -- arm64 aarch64-linux-gnu aarch64-unknown-linux-gnu ;; \
      *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; rustup target add $3; \
    printf 'export %s\n' RUST_TARGET=$3 CARGO_TARGET_$(echo $3 | tr a-z- A-Z_)_LINKER=$2-gcc > /etc/xbuild.env; \
    command -v $2-gcc >/dev/null || { apt-get update; apt-get install -y $(echo gcc-$2 | tr _ -); }
COPY .cargo .cargo
COPY vendor vendor
COPY src src
RUN . /etc/xbuild.env && cargo build --target "$RUST_TARGET" --release && \
    find target/"$RUST_TARGET"/release -maxdepth 1 -type f -perm -100 -exec install -pDt target/release {} +

FROM debian:bookworm-slim
COPY --from=build /src/target/release/logscan /usr/local/bin/logscan
ENTRYPOINT ["logscan"]
