"""Hazard 2 (issue 10, "Artifact flow"): every path that leaves a moving stage
(COPY --from sources incl. directories and globs, FROM <stage> chains,
RUN --mount=from=) must trace back to target-compile output or arch-neutral files."""

from __future__ import annotations

import pytest

from tests.adversarial.harness import Case, GO_CROSS, RUST_TARGET_BUILD, check, params

H = "artifacts"

CASES = [
    # natively installed tools that ship
    Case("go-install-tool-is-the-product", H, """
        FROM golang:1.22-alpine AS tools
        RUN go install github.com/pressly/goose/v3/cmd/goose@v3.20.0
        FROM alpine:3.20
        COPY --from=tools /go/bin/goose /usr/local/bin/goose
        """, "moved", contains=(GO_CROSS,)),
    Case("go-install-tool-beside-app-ships", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app ./cmd/app
        RUN go install github.com/golang-migrate/migrate/v4/cmd/migrate@v4.17.1
        FROM alpine:3.20
        COPY --from=build /out/app /usr/local/bin/app
        COPY --from=build /go/bin/migrate /usr/local/bin/migrate
        """, "safe", reason="migrate", contains=(r"re:xx-go install|GOARCH=\S+[^\n]*go install",)),
    Case("cargo-install-tool-ships", H, """
        FROM rust:1.79 AS build
        RUN cargo install --locked ripgrep
        FROM debian:bookworm-slim
        COPY --from=build /usr/local/cargo/bin/rg /usr/local/bin/rg
        """, "safe", reason="cargo install",
         contains=(r"re:xx-cargo install|cargo install[^\n]*--target",)),
    Case("cargo-install-sqlx-beside-app-ships", H, """
        FROM rust:1.79 AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release
        RUN cargo install sqlx-cli --no-default-features --features postgres
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /usr/local/bin/app
        COPY --from=build /usr/local/cargo/bin/sqlx /usr/local/bin/sqlx
        """, "safe", reason="sqlx",
         contains=(r"re:xx-cargo install[^\n]*sqlx|cargo install[^\n]*--target",)),
    Case("cargo-binstall-prebuilt-ships", H, """
        FROM rust:1.79 AS build
        RUN cargo install --locked cargo-binstall
        RUN cargo binstall --no-confirm watchexec-cli
        FROM debian:bookworm-slim
        COPY --from=build /usr/local/cargo/bin/watchexec /usr/local/bin/watchexec
        """, "safe", reason="binstall", contains=(r"re:binstall[^\n]*--targets?",)),
    # package-manager files
    Case("apk-tini-shipped", H, """
        FROM golang:1.22-alpine AS build
        RUN apk add --no-cache tini
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        FROM scratch
        COPY --from=build /sbin/tini /tini
        COPY --from=build /out/app /app
        ENTRYPOINT ["/tini", "--", "/app"]
        """, "refused", reason="tini"),
    Case("apk-tini-in-parent-stage-chain", H, """
        FROM golang:1.22-alpine AS base
        RUN apk add --no-cache tini
        FROM base AS build
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        FROM scratch
        COPY --from=build /sbin/tini /tini
        COPY --from=build /out/app /app
        """, "refused", stage="build", reason="tini"),
    Case("copy-whole-usr", H, """
        FROM golang:1.22-alpine AS build
        RUN apk add --no-cache libcap
        WORKDIR /src
        COPY . .
        RUN go build -o /usr/bin/app .
        FROM alpine:3.20
        COPY --from=build /usr /usr
        """, "refused", reason="/usr"),
    Case("copy-compiler-image-usr-local", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN go build -o /usr/local/bin/app .
        FROM alpine:3.20
        COPY --from=build /usr/local /usr/local
        """, "refused", reason="/usr/local"),
    Case("debian-lib-glob-shipped", H, """
        FROM golang:1.22 AS build
        ENV CGO_ENABLED=0
        RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        FROM debian:bookworm-slim
        COPY --from=build /usr/lib/*-linux-gnu/libsqlite3.so.0* /usr/lib/
        COPY --from=build /out/app /app
        """, "refused", reason="libsqlite3"),
    Case("mount-from-build-usr-lib", H, """
        FROM golang:1.22-alpine AS build
        RUN apk add --no-cache libpcap
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        FROM alpine:3.20
        RUN --mount=from=build,source=/usr/lib,target=/b cp /b/libpcap.so.1 /usr/lib/
        COPY --from=build /out/app /app
        """, "refused", stage="build", reason="/usr/lib"),
    # node_modules under any path
    Case("node-app-dir-with-node-modules", H, """
        FROM node:20 AS build
        WORKDIR /app
        COPY package*.json ./
        RUN npm ci
        COPY . .
        RUN npm run build
        FROM node:20-slim
        COPY --from=build /app /app
        CMD ["node", "/app/dist/index.js"]
        """, "refused", reason="node_modules"),
    Case("next-standalone-ships-node-modules", H, """
        FROM node:20-alpine AS builder
        WORKDIR /app
        COPY . .
        RUN npm ci && npm run build
        FROM node:20-alpine
        WORKDIR /app
        COPY --from=builder /app/.next/standalone ./
        COPY --from=builder /app/.next/static ./.next/static
        CMD ["node", "server.js"]
        """, "refused", reason="node_modules"),
    Case("nuxt-output-ships-node-modules", H, """
        FROM node:20-alpine AS build
        WORKDIR /app
        COPY . .
        RUN npm ci && npm run build
        FROM node:20-alpine
        COPY --from=build /app/.output /app/.output
        CMD ["node", "/app/.output/server/index.mjs"]
        """, "refused", reason="node_modules"),
    Case("bun-compile-executable", H, """
        FROM oven/bun:1 AS build
        WORKDIR /app
        COPY . .
        RUN bun install --frozen-lockfile
        RUN bun build --compile ./src/index.ts --outfile /out/server
        FROM debian:bookworm-slim
        COPY --from=build /out/server /usr/local/bin/server
        """, "safe", reason="bun", contains=("re:--target[= ]bun-linux",)),
    Case("pkg-node-executable", H, """
        FROM node:18 AS build
        WORKDIR /app
        COPY . .
        RUN npm ci
        RUN npx pkg . --output /out/app
        FROM debian:bookworm-slim
        COPY --from=build /out/app /usr/local/bin/app
        """, "refused", reason=r"re:\bpkg\b(?!-)"),
    # Python environments
    Case("python-venv-with-c-extension", H, """
        FROM python:3.12 AS build
        RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev
        RUN python -m venv /venv
        RUN /venv/bin/pip install --no-binary psycopg2 psycopg2==2.9.9
        FROM python:3.12-slim
        COPY --from=build /venv /venv
        CMD ["/venv/bin/python", "-m", "app"]
        """, "refused", reason="venv"),
    Case("pip-install-target-shipped", H, """
        FROM python:3.12 AS build
        COPY requirements.txt .
        RUN pip install --no-cache-dir --target /deps -r requirements.txt
        FROM python:3.12-slim
        COPY --from=build /deps /usr/local/lib/python3.12/site-packages
        """, "refused", reason="pip"),
    Case("pip-wheels-shipped", H, """
        FROM python:3.12 AS build
        COPY requirements.txt .
        RUN pip wheel --wheel-dir /wheels -r requirements.txt
        FROM python:3.12-slim
        COPY --from=build /wheels /wheels
        RUN pip install --no-index /wheels/*.whl
        """, "refused", reason="wheel"),
    Case("maturin-wheel-shipped", H, """
        FROM rust:1.79 AS build
        RUN apt-get update && apt-get install -y python3-pip && pip3 install --break-system-packages maturin
        WORKDIR /src
        COPY . .
        RUN maturin build --release --out /wheels
        FROM python:3.12-slim
        COPY --from=build /wheels /wheels
        RUN pip install /wheels/*.whl
        """, "safe", reason="maturin", contains=("re:maturin build[^\\n]*--target",)),
    # built by something xbuild cannot see into
    Case("make-target-output-shipped", H, """
        FROM golang:1.22-alpine AS build
        RUN apk add --no-cache make
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        RUN make plugins OUT=/out/plugins
        FROM alpine:3.20
        COPY --from=build /out/ /opt/app/
        """, "refused", reason="make"),
    Case("dir-copy-ships-native-build-tool", H, """
        FROM golang:1.22-alpine AS build
        RUN go install github.com/a-h/templ/cmd/templ@v0.2.747
        WORKDIR /src
        COPY . .
        RUN templ generate && CGO_ENABLED=0 go build -o /go/bin/app .
        FROM alpine:3.20
        COPY --from=build /go/bin/ /usr/local/bin/
        """, "refused", reason="templ"),
    Case("child-stage-tool-install-does-not-ship", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .
        FROM build AS dev
        RUN apk add --no-cache delve
        FROM alpine:3.20
        COPY --from=dev /usr/local/bin/app /app
        """, "moved", stage="dev", contains=(GO_CROSS,)),
    # what may leave a moved stage
    Case("go-output-dir-and-glob", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN mkdir -p /out && go build -o /out/ ./cmd/...
        FROM alpine:3.20
        COPY --from=build /out/* /usr/local/bin/
        """, "moved", contains=(GO_CROSS,)),
    Case("ca-certs-and-zoneinfo-are-data", H, """
        FROM golang:1.22-alpine AS build
        RUN apk add --no-cache ca-certificates tzdata
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        FROM scratch
        COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
        COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo
        COPY --from=build /out/app /app
        """, "moved", contains=(GO_CROSS,)),
    Case("sources-and-static-files-from-build", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app .
        FROM alpine:3.20
        COPY --from=build /src/templates /srv/templates
        COPY --from=build /src/config.yaml /etc/app/config.yaml
        COPY --from=build /out/app /usr/local/bin/app
        """, "moved", contains=(GO_CROSS,)),
    Case("go-install-project-path-follows", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go install ./cmd/app
        FROM alpine:3.20
        COPY --from=build /go/bin/app /usr/local/bin/app
        """, "safe", reason="go install",
         contains=(GO_CROSS, r"re:bin/(linux_|\$\{?TARGETOS)|go build[^\n]*-o /go/bin/app|GOBIN")),
    Case("mount-from-built-binary-moves", H, """
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /out/app .
        FROM alpine:3.20
        RUN --mount=from=build,source=/out,target=/mnt cp /mnt/app /usr/local/bin/app
        """, "moved", stage="build", contains=(GO_CROSS,)),
]


@pytest.mark.parametrize("case", params(CASES))
def test_artifacts(case: Case) -> None:
    check(case)
