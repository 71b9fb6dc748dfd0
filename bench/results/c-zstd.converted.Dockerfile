FROM --platform=$BUILDPLATFORM gcc:12 AS build
WORKDIR /src
ARG TARGETPLATFORM
# xbuild: cross toolchain; rows: Debian arch, GNU triple (from xbuild's platform table)
RUN set -e; case "$TARGETPLATFORM" in linux/amd64*) set -- amd64 x86_64-linux-gnu ;; \
      linux/arm64*) set -- arm64 aarch64-linux-gnu ;; \
      *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; \
    printf 'export %s\n' GNU_TRIPLE=$2 CC=$2-gcc AR=$2-ar > /etc/xbuild.env; \
    command -v $2-gcc >/dev/null || { apt-get update; apt-get install -y $(echo gcc-$2 | tr _ -); }
COPY zstd/ ./
RUN . /etc/xbuild.env && make CC="$CC" AR="$AR" -j"$(nproc)" -C programs zstd-release

FROM debian:bookworm-slim
COPY --from=build /src/programs/zstd /usr/local/bin/zstd
ENTRYPOINT ["zstd"]
