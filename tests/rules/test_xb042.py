"""XB042 glibc-binary-in-musl-image (report only)."""

import pytest
from ruletest import assert_noop, assert_reports

CODE = "XB042"


@pytest.mark.parametrize("src", [
    pytest.param("""
        FROM golang:1.22 AS build
        RUN go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, id="moved-go-gets-cgo-off"),
    pytest.param("""
        FROM golang:1.22-alpine AS build
        RUN CGO_ENABLED=1 go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, id="alpine-builder"),
    pytest.param("""
        FROM golang:1.22 AS build
        RUN CGO_ENABLED=1 go build -o /app .
        FROM debian:bookworm-slim
        COPY --from=build /app /app
    """, id="glibc-runtime"),
    pytest.param("""
        FROM rust:1.79 AS build
        RUN cargo build --release --target x86_64-unknown-linux-musl
        FROM scratch
        COPY --from=build /app /app
    """, id="rust-musl-target"),
    pytest.param("""
        FROM rust:1.79 AS build
        ENV RUSTFLAGS="-C target-feature=+crt-static"
        RUN cargo build --release
        FROM scratch
        COPY --from=build /app /app
    """, id="rust-crt-static"),
    pytest.param("""
        FROM gcc:14 AS build
        RUN gcc -static -o /app main.c
        FROM scratch
        COPY --from=build /app /app
    """, id="c-static"),
])
def test_noop(src):
    assert_noop(src, CODE)


@pytest.mark.parametrize(("src", "line", "what"), [
    pytest.param("""
        FROM golang:1.22 AS build
        RUN CGO_ENABLED=1 go build -o /app .
        FROM alpine:3.20
        COPY --from=build /app /app
    """, 2, "CGO_ENABLED=1", id="go-cgo-alpine"),
    pytest.param("""
        FROM golang:1.22 AS build
        RUN go build -o /app . && /app --version
        FROM alpine
        COPY --from=build /app /app
    """, 2, "CGO_ENABLED unset", id="go-not-moved-cgo-unset"),
    pytest.param("""
        FROM rust:1.79 AS build
        RUN cargo build --release
        FROM gcr.io/distroless/static-debian12
        COPY --from=build /app/target/release/app /app
    """, 2, "default (gnu)", id="rust-default-target-distroless-static"),
    pytest.param("""
        FROM gcc:14 AS build
        RUN gcc -O2 -o /app main.c
        FROM scratch
        COPY --from=build /app /app
    """, 2, "without -static", id="c-scratch"),
    pytest.param("""
        ARG GO=golang:1.22
        FROM ${GO} AS build
        ENV CGO_ENABLED=1
        RUN go build -o /app .
        FROM build AS mid
        FROM alpine
        COPY --from=mid /app /app
    """, 4, "CGO_ENABLED=1", id="via-child-stage-and-arg-image"),
])
def test_reports(src, line, what):
    assert_reports(src, CODE, line, contains=what)
