"""XB041 cache-mount-per-platform."""

import pytest
from ruletest import assert_fixes, assert_noop, assert_reports

CODE = "XB041"


@pytest.mark.parametrize("src", [
    pytest.param("""
        FROM golang:1.22
        RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build .
    """, id="go-caches-are-keyed-by-goarch"),
    pytest.param("""
        FROM rust:1.79
        ARG TARGETPLATFORM
        RUN --mount=type=cache,target=/app/target,id=target-$TARGETPLATFORM cargo build
    """, id="already-per-platform"),
    pytest.param("""
        FROM debian
        ARG TARGETARCH TARGETVARIANT
        RUN --mount=type=cache,target=/var/cache/apt,id=apt-$TARGETARCH$TARGETVARIANT apt-get update
    """, id="arch-and-variant"),
    pytest.param("""
        FROM rust:1.79
        RUN --mount=type=cache,target=/usr/local/cargo/registry cargo fetch
    """, id="cargo-registry-is-neutral"),
    pytest.param("""
        FROM rust:1.79
        RUN --mount=type=bind,target=/app/target cargo build
    """, id="not-a-cache"),
])
def test_noop(src):
    assert_noop(src, CODE)


@pytest.mark.parametrize(("src", "expected", "line"), [
    pytest.param("""
        FROM rust:1.79 AS build
        ARG TARGETPLATFORM
        RUN --mount=type=cache,target=/app/target cargo build --release
    """, """
        FROM rust:1.79 AS build
        ARG TARGETPLATFORM
        RUN --mount=type=cache,target=/app/target,id=/app/target-$TARGETPLATFORM cargo build --release
    """, 3, id="cargo-target"),
    pytest.param("""
        FROM debian
        ARG TARGETPLATFORM
        RUN --mount=type=cache,id=apt,target=/var/cache/apt,sharing=locked \\
            --mount=type=cache,dst=/var/lib/apt apt-get update
    """, """
        FROM debian
        ARG TARGETPLATFORM
        RUN --mount=type=cache,id=apt-$TARGETPLATFORM,target=/var/cache/apt,sharing=locked \\
            --mount=type=cache,dst=/var/lib/apt,id=/var/lib/apt-$TARGETPLATFORM,sharing=locked apt-get update
    """, 3, id="apt-existing-id-and-dst"),
    pytest.param("""
        ARG TARGETPLATFORM
        FROM alpine AS base
        ARG TARGETPLATFORM
        FROM base
        RUN --mount=type=cache,target=/var/cache/apk apk add gcc
    """, """
        ARG TARGETPLATFORM
        FROM alpine AS base
        ARG TARGETPLATFORM
        FROM base
        RUN --mount=type=cache,target=/var/cache/apk,id=/var/cache/apk-$TARGETPLATFORM,sharing=locked apk add gcc
    """, 5, id="apk-arg-inherited"),
    # regression (issue 14): XB022 leaves a declared stage to XB041, whose list lacked these
    pytest.param("""
        FROM alpine:3.20
        ARG TARGETPLATFORM
        RUN --mount=type=cache,target=/etc/apk/cache apk add gcc
    """, """
        FROM alpine:3.20
        ARG TARGETPLATFORM
        RUN --mount=type=cache,target=/etc/apk/cache,id=/etc/apk/cache-$TARGETPLATFORM,sharing=locked apk add gcc
    """, 3, id="etc-apk-cache-arg-declared"),
    pytest.param("""
        FROM gcc:12
        ARG TARGETPLATFORM
        RUN --mount=type=cache,target=/root/.ccache ccache gcc -o /app main.c
    """, """
        FROM gcc:12
        ARG TARGETPLATFORM
        RUN --mount=type=cache,target=/root/.ccache,id=/root/.ccache-$TARGETPLATFORM ccache gcc -o /app main.c
    """, 3, id="ccache-arg-declared"),
])
def test_fixes(src, expected, line):
    assert_fixes(src, expected, CODE, line)


@pytest.mark.parametrize(("src", "line", "hint"), [
    pytest.param("""
        FROM rust:1.79
        RUN --mount=type=cache,target=/app/target cargo build
    """, 2, "after declaring ARG TARGETPLATFORM", id="no-arg-declared"),
    pytest.param("""
        FROM rust:1.79
        RUN --mount=type=cache,target=/app/target cargo build
        ARG TARGETPLATFORM
    """, 2, "after declaring ARG TARGETPLATFORM", id="arg-declared-later"),
    pytest.param("""
        ARG TARGETPLATFORM
        FROM debian
        RUN --mount=type=cache,target=/var/cache/apt apt-get update
    """, 3, "after declaring ARG TARGETPLATFORM", id="global-arg-is-not-in-scope"),
    pytest.param("""
        FROM rust:1.79
        ARG TARGETPLATFORM
        RUN --mount="type=cache,target=/app/target" cargo build
    """, 3, "add id=", id="quoted-flag-not-edited"),
])
def test_reports(src, line, hint):
    assert_reports(src, CODE, line, contains=hint)
