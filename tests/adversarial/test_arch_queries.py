"""Hazard 4 (issue 10, "Arch queries in every recipe"): `uname -m`, `arch`,
`dpkg --print-architecture`, `apk --print-arch`, `go env GOARCH`, `gcc -dumpmachine`,
`rustc -vV` answer for the build machine once a stage moves. Rewrite to the target's
value when certain, otherwise refuse; an unused variable assigned from one does not block."""

from __future__ import annotations

import pytest

from tests.adversarial.harness import Case, GO_CROSS, check, params

H = "arch_queries"

CASES = [
    Case("dpkg-arch-downloads-shipped-tini", H, """
        FROM golang:1.22 AS build
        ENV CGO_ENABLED=0
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        RUN curl -fsSL -o /out/tini https://github.com/krallin/tini/releases/download/v0.19.0/tini-$(dpkg --print-architecture)
        FROM debian:bookworm-slim
        COPY --from=build /out/ /usr/local/bin/
        """, "safe", reason="dpkg --print-architecture",
         absent=("tini-$(dpkg --print-architecture)",)),
    Case("uname-case-in-heredoc", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        RUN <<EOF
        set -e
        case "$(uname -m)" in x86_64) A=amd64 ;; aarch64) A=arm64 ;; esac
        wget -O /out/kubectl "https://dl.k8s.io/release/v1.30.0/bin/linux/$A/kubectl"
        EOF
        FROM alpine:3.20
        COPY --from=build /out/ /usr/local/bin/
        """, "refused", reason="uname"),
    Case("arch-command-names-download", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        RUN wget -O /out/yq "https://example.com/yq/v4.44.1/yq_linux_$(arch)" && chmod +x /out/yq
        FROM alpine:3.20
        COPY --from=build /out/ /usr/local/bin/
        """, "refused", reason=r"re:\barch\b"),
    Case("apk-print-arch-dumb-init", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        RUN wget -O /out/dumb-init https://github.com/Yelp/dumb-init/releases/download/v1.2.5/dumb-init_1.2.5_$(apk --print-arch)
        FROM alpine:3.20
        COPY --from=build /out/ /usr/local/bin/
        """, "safe", reason="apk --print-arch", absent=("dumb-init_1.2.5_$(apk --print-arch)",)),
    Case("ldflags-go-env-goarch", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -ldflags "-X main.arch=$(go env GOARCH)" -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "safe", reason="go env", absent=("main.arch=$(go env GOARCH)",)),
    Case("ldflags-uname-m", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -ldflags "-s -w -X main.platform=linux/$(uname -m)" -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "safe", reason="uname", absent=("$(uname -m)",)),
    Case("configure-host-gcc-dumpmachine", H, """
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y build-essential
        WORKDIR /src
        COPY . .
        RUN ./configure --build=$(gcc -dumpmachine) --host=$(gcc -dumpmachine) && make
        FROM debian:bookworm-slim
        COPY --from=build /src/tool /usr/local/bin/tool
        """, "safe", reason="dumpmachine", absent=("--host=$(gcc -dumpmachine)",)),
    Case("rustc-vv-host-triple", H, """
        FROM rust:1.79 AS build
        WORKDIR /src
        COPY . .
        RUN T=$(rustc -vV | sed -n 's/^host: //p') && cargo build --release --target $T && cp target/$T/release/app /app
        FROM debian:bookworm-slim
        COPY --from=build /app /usr/local/bin/app
        """, "safe", reason="rustc", absent=("$(rustc -vV",)),
    Case("uname-musl-triple-rust", H, """
        FROM rust:1.79-alpine AS build
        RUN apk add --no-cache musl-dev
        WORKDIR /src
        COPY . .
        RUN cargo build --release --target $(uname -m)-unknown-linux-musl
        RUN cp target/$(uname -m)-unknown-linux-musl/release/app /app
        FROM scratch
        COPY --from=build /app /app
        """, "safe", reason="uname", absent=("$(uname -m)-unknown-linux-musl",)),
    Case("dpkg-arch-in-cmake-libdir", H, """
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y build-essential cmake
        WORKDIR /src
        COPY . .
        RUN cmake -B b -DLIBDIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH) && cmake --build b
        FROM debian:bookworm-slim
        COPY --from=build /src/b/app /usr/local/bin/app
        """, "safe", reason="dpkg-architecture",
         absent=("$(dpkg-architecture -qDEB_HOST_MULTIARCH)",)),
    # queries that do not reach the image
    Case("unused-uname-variable", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN HOSTARCH=$(uname -m); CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,)),
    Case("unused-dpkg-arch-in-heredoc", H, """
        FROM golang:1.22 AS build
        ENV CGO_ENABLED=0
        WORKDIR /src
        COPY . .
        RUN <<EOF
        set -e
        debarch=$(dpkg --print-architecture)
        go build -o /out/app .
        EOF
        FROM debian:bookworm-slim
        COPY --from=build /out/app /app
        """, "safe", contains=(GO_CROSS,)),
    Case("host-protoc-by-uname-stays-host", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        RUN wget -q https://github.com/protocolbuffers/protobuf/releases/download/v27.1/protoc-27.1-linux-$(uname -m).zip && unzip protoc-*.zip -d /usr/local
        COPY . .
        RUN protoc --go_out=. api/v1/api.proto && CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "safe", reason="uname", contains=(GO_CROSS, "protoc-27.1-linux-$(uname -m).zip")),
    Case("echo-build-arch-to-log", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN echo "go $(go env GOVERSION) on $(go env GOARCH)" && CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "safe", contains=(GO_CROSS,)),
    Case("targetarch-download-stays-right", H, """
        FROM golang:1.22-alpine AS build
        ARG TARGETARCH
        RUN wget -O /out/tini https://github.com/krallin/tini/releases/download/v0.19.0/tini-static-${TARGETARCH}
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/ /usr/local/bin/
        """, "moved", contains=(GO_CROSS, "tini-static-${TARGETARCH}")),
]


@pytest.mark.parametrize("case", params(CASES))
def test_arch_queries(case: Case) -> None:
    check(case)
