"""Hazard 7 (issue 10, "Convert what people actually write"): patterns a sound xbuild
moves: build tools installed natively that do not ship, cargo-chef, the dummy-main
trick (the rm follows --target), JS asset stages, Ubuntu builders via the ports
archive, plain Go/Rust/C builders; and files already cross that must stay as they are."""

from __future__ import annotations

import pytest

from tests.adversarial.harness import Case, GO_CROSS, RUST_TARGET_BUILD, check, params

H = "convertible"
BARE_GCC = r"re:(^RUN|&&|;) *gcc "

ASSETS_EMBEDDED_IN_GO = """
    FROM node:20 AS assets
    WORKDIR /web
    COPY web/ .
    RUN npm ci && npm run build
    FROM golang:1.22-alpine AS build
    WORKDIR /src
    COPY . .
    COPY --from=assets /web/dist ./internal/ui/dist
    RUN CGO_ENABLED=0 go build -o /out/app .
    FROM alpine:3.20
    COPY --from=build /out/app /app
    """

CASES = [
    Case("cargo-chef-cook-and-build", H, """
        FROM rust:1.79 AS chef
        RUN cargo install cargo-chef --locked
        WORKDIR /app
        FROM chef AS planner
        COPY . .
        RUN cargo chef prepare --recipe-path recipe.json
        FROM chef AS builder
        COPY --from=planner /app/recipe.json recipe.json
        RUN cargo chef cook --release --recipe-path recipe.json
        COPY . .
        RUN cargo build --release --bin app
        FROM debian:bookworm-slim
        COPY --from=builder /app/target/release/app /usr/local/bin/app
        """, "moved", stage="builder",
         contains=(r"re:cargo chef cook[^\n]*--target", RUST_TARGET_BUILD)),
    Case("wasm-pack-is-a-build-tool", H, """
        FROM rust:1.79 AS wasm
        RUN cargo install wasm-pack --locked
        WORKDIR /src
        COPY . .
        RUN wasm-pack build --release --target web --out-dir /out/pkg
        FROM nginx:alpine
        COPY --from=wasm /out/pkg /usr/share/nginx/html/pkg
        """, "moved", contains=("--platform=$BUILDPLATFORM",
                                "wasm-pack build --release --target web --out-dir /out/pkg")),
    Case("sccache-wrapper-build-tool", H, """
        FROM rust:1.79 AS build
        RUN cargo install sccache --locked
        ENV RUSTC_WRAPPER=sccache
        WORKDIR /src
        COPY . .
        RUN cargo build --release
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /usr/local/bin/app
        """, "moved", contains=(RUST_TARGET_BUILD,)),
    Case("cargo-binstall-build-tool", H, """
        FROM rust:1.79 AS build
        RUN cargo install cargo-binstall --locked && cargo binstall --no-confirm sccache
        ENV RUSTC_WRAPPER=sccache
        WORKDIR /src
        COPY . .
        RUN cargo build --release
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /usr/local/bin/app
        """, "moved", contains=(RUST_TARGET_BUILD,)),
    Case("cargo-dummy-main-rm-follows-target", H, """
        FROM rust:1.79 AS build
        WORKDIR /app
        COPY Cargo.toml Cargo.lock ./
        RUN mkdir src && echo "fn main() {}" > src/main.rs && cargo build --release
        COPY src ./src
        RUN rm -f target/release/deps/app* && cargo build --release
        FROM debian:bookworm-slim
        COPY --from=build /app/target/release/app /usr/local/bin/app
        """, "safe", reason="target/release/deps",
         contains=(r're:target/"?\$\{?[A-Za-z_]+\}?"?/release/deps/app', RUST_TARGET_BUILD)),
    Case("vite-asset-stage", H, """
        FROM node:20 AS assets
        WORKDIR /app
        COPY package*.json ./
        RUN npm ci
        COPY . .
        RUN npm run build
        FROM nginx:alpine
        COPY --from=assets /app/dist /usr/share/nginx/html
        """, "moved", contains=("FROM --platform=$BUILDPLATFORM node:20 AS assets",)),
    Case("tailwind-assets-and-go", H, """
        FROM node:20-alpine AS css
        WORKDIR /app
        COPY . .
        RUN npx tailwindcss -i web/in.css -o /out/app.css --minify
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=css /out/app.css /srv/static/app.css
        COPY --from=build /out/app /usr/local/bin/app
        """, "moved", contains=(GO_CROSS, "FROM --platform=$BUILDPLATFORM node:20-alpine AS css")),
    Case("ubuntu-c-with-ports-archive", H, """
        FROM ubuntu:24.04 AS build
        RUN apt-get update && apt-get install -y build-essential libsqlite3-dev
        WORKDIR /src
        COPY . .
        RUN gcc -O2 -o /out/app main.c -lsqlite3
        FROM ubuntu:24.04
        RUN apt-get update && apt-get install -y libsqlite3-0
        COPY --from=build /out/app /usr/local/bin/app
        """, "moved", contains=("ports.ubuntu.com", "libsqlite3-dev:"), absent=(BARE_GCC,)),
    Case("ubuntu-cgo-with-ports-archive", H, """
        FROM ubuntu:22.04 AS build
        RUN apt-get update && apt-get install -y golang-go gcc libpcap-dev
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=1 go build -o /out/sniff .
        FROM ubuntu:22.04
        RUN apt-get update && apt-get install -y libpcap0.8
        COPY --from=build /out/sniff /usr/local/bin/sniff
        """, "moved", contains=("ports.ubuntu.com", "libpcap-dev:", "CGO_ENABLED=1"),
         absent=("CGO_ENABLED=0",)),
    Case("plain-go-alpine", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY go.mod go.sum ./
        RUN go mod download
        COPY . .
        RUN go build -trimpath -ldflags "-s -w" -o /out/app ./cmd/app
        FROM gcr.io/distroless/static
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS, "FROM --platform=$BUILDPLATFORM golang:1.22-alpine")),
    Case("plain-go-with-build-cache-mounts", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\
            CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS, "--mount=type=cache,target=/go/pkg/mod")),
    Case("go-stage-chain", H, """
        FROM golang:1.22-alpine AS deps
        WORKDIR /src
        COPY go.mod go.sum ./
        RUN go mod download
        FROM deps AS build
        COPY . .
        RUN CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "moved", stage="build",
         contains=(GO_CROSS, "FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS deps")),
    Case("templ-tool-native-app-cross", H, """
        FROM golang:1.22-alpine AS build
        RUN go install github.com/a-h/templ/cmd/templ@v0.2.747
        WORKDIR /src
        COPY . .
        RUN templ generate && CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,),
         absent=(r"re:GOARCH=\S+[^\n]*go install github.com/a-h/templ",)),
    Case("go-generate-then-build", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN go generate ./... && CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,)),
    Case("plain-rust-debian", H, """
        FROM rust:1.79-bookworm AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release --locked
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /usr/local/bin/app
        """, "moved", contains=(RUST_TARGET_BUILD,)),
    Case("rust-alpine-musl", H, """
        FROM rust:1.79-alpine AS build
        RUN apk add --no-cache musl-dev
        WORKDIR /src
        COPY . .
        RUN cargo build --release
        FROM alpine:3.20
        COPY --from=build /src/target/release/app /usr/local/bin/app
        """, "safe", reason="alpine", contains=(RUST_TARGET_BUILD,)),
    Case("rust-target-cache-mount-per-platform", H, """
        FROM rust:1.79 AS build
        WORKDIR /src
        COPY . .
        RUN --mount=type=cache,target=/src/target cargo build --release && cp target/release/app /app
        FROM debian:bookworm-slim
        COPY --from=build /app /usr/local/bin/app
        """, "safe", reason="cache",
         contains=(r"re:id=[^,\s]*\$\{?TARGETPLATFORM", RUST_TARGET_BUILD)),
    Case("plain-c-debian-gcc", H, """
        FROM debian:bookworm AS build
        RUN apt-get update && apt-get install -y gcc libc6-dev
        WORKDIR /src
        COPY hello.c .
        RUN gcc -O2 -o /out/hello hello.c
        FROM debian:bookworm-slim
        COPY --from=build /out/hello /usr/local/bin/hello
        """, "moved", absent=(BARE_GCC,)),
    # already right: nothing to do
    Case("already-cross-go", H, """
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
        ARG TARGETOS TARGETARCH
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "unchanged"),
    Case("already-cross-xx", H, """
        FROM --platform=$BUILDPLATFORM tonistiigi/xx AS xx
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
        COPY --from=xx / /
        ARG TARGETPLATFORM
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 xx-go build -o /out/app . && xx-verify /out/app
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "unchanged"),
    Case("single-stage-stays", H, """
        FROM golang:1.22-alpine
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .
        CMD ["app"]
        """, "unchanged"),
    # platforms and --target change the answer
    Case("go-armv7-sets-goarm", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS, "GOARM="),
         options={"platforms": "linux/amd64,linux/arm/v7"}),
    Case("rust-armv7-triple", H, """
        FROM rust:1.79 AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /usr/local/bin/app
        """, "moved", contains=(RUST_TARGET_BUILD, "armv7-unknown-linux-gnueabihf"),
         absent=("arm-unknown-linux-gnueabihf",),
         options={"platforms": "linux/arm64,linux/arm/v7"}),
    Case("target-option-assets-move", H, ASSETS_EMBEDDED_IN_GO, "moved", stage="assets",
         contains=("FROM --platform=$BUILDPLATFORM node:20 AS assets",),
         options={"target": "build"}),
    Case("target-option-exported-builder-stays", H, ASSETS_EMBEDDED_IN_GO, "refused",
         stage="build", reason="exported", options={"target": "build"}),
    Case("rust-two-bins", H, """
        FROM rust:1.79 AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release --bin server --bin worker
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/server /src/target/release/worker /usr/local/bin/
        """, "moved", contains=(RUST_TARGET_BUILD,)),
]


@pytest.mark.parametrize("case", params(CASES))
def test_convertible(case: Case) -> None:
    check(case)
