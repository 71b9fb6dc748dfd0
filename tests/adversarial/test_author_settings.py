"""Hazard 3 (issue 10, "Respect what the author wrote"): compilers, targets, CGO and
CPU flags the author set are replaced correctly (never a second, competing setting)
or the stage is refused. Native CPU flags are never carried across silently."""

from __future__ import annotations

import pytest

from tests.adversarial.harness import Case, GO_CROSS, RUST_TARGET_BUILD, check, params

H = "author_settings"
TWO_TARGETS = r"re:--target\b[^\n]*--target\b"
TWO_GOARCH = r"re:GOARCH=[^\n]*GOARCH="
TWO_CGO = r"re:CGO_ENABLED=[^\n]*CGO_ENABLED="

CASES = [
    Case("make-cc-musl-gcc", H, """
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y build-essential musl-tools
        WORKDIR /src
        COPY . .
        RUN make CC=musl-gcc LDFLAGS=-static
        FROM scratch
        COPY --from=build /src/app /app
        """, "safe", reason="musl-gcc", absent=("CC=musl-gcc",)),
    Case("cc-clang-configure", H, """
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y clang make
        WORKDIR /src
        COPY . .
        RUN CC=clang ./configure --prefix=/usr && make && make install DESTDIR=/out
        FROM debian:bookworm-slim
        COPY --from=build /out/usr/bin/tool /usr/bin/tool
        """, "safe", reason="configure", contains=("--host",),
         absent=("CC=clang ./configure",)),
    Case("cmake-c-compiler-clang", H, """
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y clang cmake make
        WORKDIR /src
        COPY . .
        RUN cmake -B build -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Release && cmake --build build
        FROM debian:bookworm-slim
        COPY --from=build /src/build/app /usr/local/bin/app
        """, "safe", reason="CMAKE_C_COMPILER",
         contains=("re:CMAKE_SYSTEM_PROCESSOR|CMAKE_TOOLCHAIN_FILE|CMAKE_C_COMPILER_TARGET",),
         absent=(r"re:CMAKE_C_COMPILER=[^\n]*CMAKE_C_COMPILER=",)),
    Case("rust-arg-target-default", H, """
        FROM rust:1.79 AS build
        ARG TARGET=x86_64-unknown-linux-musl
        RUN rustup target add $TARGET
        WORKDIR /src
        COPY . .
        RUN cargo build --release --target $TARGET
        FROM scratch
        COPY --from=build /src/target/x86_64-unknown-linux-musl/release/app /app
        """, "safe", reason="x86_64-unknown-linux-musl", absent=(TWO_TARGETS, "ARG TARGET=x86_64-unknown-linux-musl")),
    Case("rust-cargo-build-target-env", H, """
        FROM rust:1.79 AS build
        ENV CARGO_BUILD_TARGET=x86_64-unknown-linux-musl
        RUN rustup target add x86_64-unknown-linux-musl
        WORKDIR /src
        COPY . .
        RUN cargo build --release
        FROM scratch
        COPY --from=build /src/target/x86_64-unknown-linux-musl/release/app /app
        """, "safe", reason="CARGO_BUILD_TARGET",
         absent=("CARGO_BUILD_TARGET=x86_64-unknown-linux-musl", TWO_TARGETS)),
    Case("rust-env-rust-target", H, """
        FROM rust:1.79 AS build
        ENV RUST_TARGET=x86_64-unknown-linux-musl
        RUN apt-get update && apt-get install -y musl-tools && rustup target add $RUST_TARGET
        WORKDIR /src
        COPY . .
        RUN cargo build --release --target $RUST_TARGET && cp target/$RUST_TARGET/release/app /app
        FROM scratch
        COPY --from=build /app /app
        """, "safe", reason="RUST_TARGET",
         absent=("ENV RUST_TARGET=x86_64-unknown-linux-musl", TWO_TARGETS)),
    Case("rust-hardcoded-target-triple", H, """
        FROM rust:1.79 AS build
        RUN rustup target add x86_64-unknown-linux-musl
        WORKDIR /src
        COPY . .
        RUN cargo build --release --target x86_64-unknown-linux-musl
        FROM scratch
        COPY --from=build /src/target/x86_64-unknown-linux-musl/release/app /app
        """, "safe", reason="x86_64-unknown-linux-musl",
         absent=("--target x86_64-unknown-linux-musl", TWO_TARGETS)),
    Case("go-env-w-cgo-enabled", H, """
        FROM golang:1.22 AS build
        RUN go env -w CGO_ENABLED=1
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        FROM debian:bookworm-slim
        COPY --from=build /out/app /usr/local/bin/app
        """, "safe", reason="CGO_ENABLED", absent=("CGO_ENABLED=0",)),
    Case("arg-cgo-enabled-1", H, """
        FROM golang:1.22 AS build
        ARG CGO_ENABLED=1
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        FROM debian:bookworm-slim
        COPY --from=build /out/app /usr/local/bin/app
        """, "safe", reason="CGO_ENABLED", absent=("CGO_ENABLED=0",)),
    Case("arg-cgo-enabled-0-moves", H, """
        FROM golang:1.22 AS build
        ARG CGO_ENABLED=0
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        FROM gcr.io/distroless/static
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,), absent=("CGO_ENABLED=1",)),
    Case("explicit-cgo-enabled-1", H, """
        FROM golang:1.22 AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=1 go build -o /out/app .
        FROM debian:bookworm-slim
        COPY --from=build /out/app /usr/local/bin/app
        """, "safe", reason="cgo", absent=("CGO_ENABLED=0", TWO_CGO)),
    Case("goarch-from-go-env", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 GOOS=linux GOARCH=$(go env GOARCH) go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "safe", reason="go env", contains=(GO_CROSS,),
         absent=("$(go env GOARCH)", TWO_GOARCH)),
    Case("goarch-hardcoded-amd64", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "safe", reason="GOARCH=amd64", contains=(GO_CROSS,),
         absent=("GOARCH=amd64", TWO_GOARCH)),
    Case("goarch-loop-over-arches", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN for a in amd64 arm64; do CGO_ENABLED=0 GOARCH=$a go build -o /out/app-$a .; done
        FROM alpine:3.20
        ARG TARGETARCH
        COPY --from=build /out/app-${TARGETARCH} /app
        """, "safe", reason="GOARCH", absent=(TWO_GOARCH,)),
    Case("gcc-march-native", H, """
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y gcc libc6-dev
        WORKDIR /src
        COPY . .
        RUN gcc -O3 -march=native -o /out/app main.c
        FROM debian:bookworm-slim
        COPY --from=build /out/app /usr/local/bin/app
        """, "safe", reason="march=native", absent=("-march=native",)),
    Case("rustflags-target-cpu-native", H, """
        FROM rust:1.79 AS build
        ENV RUSTFLAGS="-C target-cpu=native"
        WORKDIR /src
        COPY . .
        RUN cargo build --release
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /usr/local/bin/app
        """, "safe", reason="target-cpu", absent=("target-cpu=native",)),
    Case("goamd64-v3-hardcoded", H, """
        FROM golang:1.22-alpine AS build
        ENV GOAMD64=v3
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "safe", reason="GOAMD64", absent=(r"re:GOAMD64=[^\n]*GOAMD64=", "ENV GOAMD64=v3")),
    Case("make-goarch-hardcoded-arg", H, """
        FROM golang:1.22-alpine AS build
        RUN apk add --no-cache make
        WORKDIR /src
        COPY . .
        RUN make build GOOS=linux GOARCH=amd64
        FROM alpine:3.20
        COPY --from=build /src/bin/app /app
        """, "refused", reason="GOARCH=amd64"),
    Case("goarch-loop-ships-all-arches", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN for a in amd64 arm64; do CGO_ENABLED=0 GOARCH=$a go build -o /out/app-linux-$a .; done
        FROM nginx:alpine
        COPY --from=build /out/ /usr/share/nginx/html/downloads/
        """, "safe", reason="GOARCH", absent=(r"re:GOARCH=\$\{?TARGETARCH",)),
    Case("env-goos-and-cgo-off-moves", H, """
        FROM golang:1.22 AS build
        ENV CGO_ENABLED=0 GOOS=linux GOFLAGS=-mod=vendor
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        FROM gcr.io/distroless/static
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,), absent=("CGO_ENABLED=1", TWO_GOARCH)),
    Case("rust-release-profile-env-moves", H, """
        FROM rust:1.79 AS build
        ENV CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
        WORKDIR /src
        COPY . .
        RUN cargo build --release
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /usr/local/bin/app
        """, "moved", contains=(RUST_TARGET_BUILD,), absent=(TWO_TARGETS,)),
    Case("arg-targetarch-default-amd64", H, """
        FROM golang:1.22-alpine AS build
        ARG TARGETARCH=amd64
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 GOOS=linux GOARCH=$TARGETARCH go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "safe", reason="TARGETARCH=amd64", contains=(GO_CROSS,),
         absent=("ARG TARGETARCH=amd64", TWO_GOARCH)),
    Case("fixed-platform-amd64-builder", H, """
        FROM --platform=linux/amd64 golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "refused", reason="linux/amd64"),
]


@pytest.mark.parametrize("case", params(CASES))
def test_author_settings(case: Case) -> None:
    check(case)
