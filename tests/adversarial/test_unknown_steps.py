"""Hazard 1 (issue 10, "Default-deny step analysis"): every RUN of a stage that would
move gets a class; an unknown step blocks the move, with its line and what it is.
Neutral steps (mkdir, cp, git clone, go mod download, cargo fetch, build-tool
installs) must not block: a suite of only refusals proves nothing."""

from __future__ import annotations

import pytest

from tests.adversarial.harness import Case, GO_CROSS, RUST_TARGET_BUILD, check, params

H = "unknown_steps"

CASES = [
    Case("go-then-script-builds-so", H, """
        FROM golang:1.22-alpine AS build
        RUN apk add --no-cache gcc musl-dev
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /out/app .
        RUN sh build-ext.sh /out
        FROM alpine:3.20
        COPY --from=build /out/ /usr/local/lib/app/
        """, "refused", reason="build-ext.sh"),
    Case("xcaddy-build-unknown", H, """
        FROM golang:1.22-alpine AS build
        RUN go install github.com/caddyserver/xcaddy/cmd/xcaddy@v0.4.2
        RUN xcaddy build --with github.com/caddy-dns/cloudflare --output /out/caddy
        FROM alpine:3.20
        COPY --from=build /out/caddy /usr/bin/caddy
        """, "refused", reason="xcaddy"),
    Case("custom-signer-from-base-image", H, """
        FROM ghcr.io/acme/gobuilder:1.22 AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app
        RUN acme-seal --in /out/app --out /out/app.sealed
        FROM scratch
        COPY --from=build /out/app.sealed /app
        """, "refused", reason="acme-seal"),
    Case("bash-script-after-go-build", H, """
        FROM golang:1.22-alpine AS build
        RUN apk add --no-cache bash
        WORKDIR /src
        COPY . .
        RUN go build -o /out/server ./cmd/server
        RUN bash scripts/package.sh /out
        FROM alpine:3.20
        COPY --from=build /out /opt/app
        """, "refused", reason="package.sh"),
    Case("sh-c-hides-script", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN sh -c './hack/gen-plugins.sh && go build -o /out/app .'
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "refused", reason="gen-plugins.sh"),
    Case("exec-form-sh-c-script", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        RUN ["sh", "-c", "./build-assets.sh /out"]
        FROM alpine:3.20
        COPY --from=build /out /srv
        """, "refused", reason="build-assets.sh"),
    Case("bash-heredoc-gcc-in-go-stage", H, """
        FROM golang:1.22 AS build
        ENV CGO_ENABLED=0
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        RUN bash <<EOF
        set -e
        gcc -shared -fPIC -o /out/libhook.so hook.c
        EOF
        FROM debian:bookworm-slim
        COPY --from=build /out/ /opt/app/
        """, "refused", reason="gcc"),
    Case("heredoc-go-build-then-hack-script", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN <<EOF
        set -e
        go build -o /out/app .
        ./hack/post-build.sh /out
        EOF
        FROM alpine:3.20
        COPY --from=build /out /opt
        """, "refused", reason="post-build.sh"),
    Case("env-wrapper-unknown-builder", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN go mod download
        RUN env VERSION=1.2.3 ./tools/dist build /out
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "refused", reason="dist"),
    Case("unknown-step-in-asset-stage", H, """
        FROM node:20 AS assets
        WORKDIR /app
        COPY . .
        RUN npm ci && npm run build
        RUN ./scripts/embed-fonts /app/dist
        FROM nginx:alpine
        COPY --from=assets /app/dist /usr/share/nginx/html
        """, "refused", reason="embed-fonts"),
    Case("sh-c-go-build", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN sh -c 'go build -trimpath -o /out/app .'
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "safe", contains=(GO_CROSS,)),
    Case("env-wrapper-go-build", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN env GOFLAGS=-trimpath go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,)),
    Case("exec-form-go-build", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN ["go", "build", "-o", "/out/app", "."]
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "safe", contains=(GO_CROSS,)),
    Case("heredoc-plain-go-build", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN <<EOF
        set -e
        go mod download
        go build -o /out/app .
        EOF
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,)),
    Case("coreutils-around-go-build", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN mkdir -p /out/etc && cp config.example.yaml /out/etc/config.yaml
        RUN go build -o /out/app . && chmod 0755 /out/app && ln -s app /out/appctl
        FROM alpine:3.20
        COPY --from=build /out/ /opt/app/
        """, "moved", contains=(GO_CROSS,)),
    Case("git-clone-then-go-build", H, """
        FROM golang:1.22-alpine AS build
        RUN apk add --no-cache git
        RUN git clone --depth 1 --branch v1.4.0 https://github.com/acme/tool /src
        WORKDIR /src
        RUN go build -o /out/tool ./cmd/tool
        FROM alpine:3.20
        COPY --from=build /out/tool /usr/local/bin/tool
        """, "moved", contains=(GO_CROSS,)),
    Case("go-mod-download-then-build", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY go.mod go.sum ./
        RUN go mod download
        COPY . .
        RUN go build -ldflags "-s -w" -o /out/app .
        FROM scratch
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,)),
    Case("cargo-fetch-then-build", H, """
        FROM rust:1.79 AS build
        WORKDIR /src
        COPY Cargo.toml Cargo.lock ./
        RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo fetch
        COPY . .
        RUN cargo build --release
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /usr/local/bin/app
        """, "moved", contains=(RUST_TARGET_BUILD,)),
    Case("apt-protoc-build-tool-then-go", H, """
        FROM golang:1.22 AS build
        ENV CGO_ENABLED=0
        RUN apt-get update && apt-get install -y --no-install-recommends protobuf-compiler
        WORKDIR /src
        COPY . .
        RUN protoc --go_out=. api/service.proto
        RUN go build -o /out/app .
        FROM debian:bookworm-slim
        COPY --from=build /out/app /usr/local/bin/app
        """, "moved", contains=(GO_CROSS,)),
    Case("curl-tarball-then-go-build", H, """
        FROM golang:1.22-alpine AS build
        RUN apk add --no-cache curl
        WORKDIR /src
        RUN curl -fsSL https://example.com/src/app-1.0.tar.gz | tar -xz --strip-components=1
        RUN go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,)),
]


@pytest.mark.parametrize("case", params(CASES))
def test_unknown_steps(case: Case) -> None:
    check(case)
