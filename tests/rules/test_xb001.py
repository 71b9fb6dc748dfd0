"""XB001 build-stage-on-buildplatform."""

import pytest

from ruletest import assert_fixes, assert_noop

CODE = "XB001"


@pytest.mark.parametrize("src", [
    pytest.param("""
        FROM golang:1.22-alpine
        RUN go build -o /app .
    """, id="exported-stage-never-moves"),
    pytest.param("""
        FROM node:20 AS assets
        RUN npm ci && npm run build
        FROM nginx
        COPY --from=assets / /usr/share/nginx/html
    """, id="whole-filesystem-ships"),
    pytest.param("""
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
        ARG TARGETOS TARGETARCH
        RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, id="already-on-buildplatform"),
    pytest.param("""
        FROM alpine AS files
        RUN echo hi > /hi
        FROM alpine
        COPY --from=files /hi /hi
    """, id="compiles-nothing"),
    pytest.param("""
        FROM golang:1.22-alpine AS build
        RUN go build -o /app . && /app --version
        FROM alpine
        COPY --from=build /app /app
    """, id="runs-what-it-built"),
])
def test_noop(src):
    assert_noop(src, CODE)


@pytest.mark.parametrize(("src", "expected", "line"), [
    pytest.param("""
        FROM golang:alpine AS builder
        RUN go build -o hello .
        FROM alpine
        COPY --from=builder /hello /hello
    """, """
        FROM --platform=$BUILDPLATFORM golang:alpine AS builder
        ARG TARGETOS TARGETARCH TARGETVARIANT
        RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o hello .
        FROM alpine
        COPY --from=builder /hello /hello
    """, 1, id="go-builder"),
    pytest.param("""
        from golang:1.22-alpine as build
        run go build -o /app .
        from scratch
        copy --from=build /app /app
    """, """
        from --platform=$BUILDPLATFORM golang:1.22-alpine as build
        arg TARGETOS TARGETARCH TARGETVARIANT
        run CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
        from scratch
        copy --from=build /app /app
    """, 1, id="lowercase-kept"),
    pytest.param("""
        FROM --platform=$TARGETPLATFORM golang:1.22-alpine AS build
        RUN go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, """
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
        ARG TARGETOS TARGETARCH TARGETVARIANT
        RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, 1, id="targetplatform-replaced"),
    pytest.param("""
        FROM node:20 AS web
        RUN npm ci && npm run build
        FROM golang:1.22-alpine AS build
        RUN go build -o /app .
        FROM alpine
        COPY --from=web /dist /www
        COPY --from=build /app /app
    """, """
        FROM --platform=$BUILDPLATFORM node:20 AS web
        RUN npm ci && npm run build
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
        ARG TARGETOS TARGETARCH TARGETVARIANT
        RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
        FROM alpine
        COPY --from=web /dist /www
        COPY --from=build /app /app
    """, 1, id="asset-stage-too"),
])
def test_fixes(src, expected, line):
    assert_fixes(src, expected, CODE, line)
