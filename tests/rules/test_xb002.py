"""XB002 declare-target-args."""

import pytest

from ruletest import assert_fixes, assert_noop, run

CODE = "XB002"


@pytest.mark.parametrize("src", [
    pytest.param("""
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
        ARG TARGETOS TARGETARCH
        RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, id="declared-by-author"),
    pytest.param("""
        FROM alpine
        RUN echo hi
    """, id="nothing-to-build"),
])
def test_noop(src):
    assert_noop(src, CODE)


@pytest.mark.parametrize(("src", "expected", "line"), [
    pytest.param("""
        FROM golang:1.22-alpine AS build
        WORKDIR /src
        RUN go mod download
        # the binary
        RUN go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, """
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
        WORKDIR /src
        RUN go mod download
        ARG TARGETOS TARGETARCH TARGETVARIANT
        # the binary
        RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, 5, id="after-neutral-steps-above-comment"),
])
def test_fixes(src, expected, line):
    assert_fixes(src, expected, CODE, line)


def test_crlf_kept():
    result = run("FROM golang:1.22-alpine AS b\r\nRUN go build -o /a .\r\nFROM alpine\r\nCOPY --from=b /a /a\r\n")
    assert "ARG TARGETOS TARGETARCH TARGETVARIANT\r\n" in result.text
    assert "\n" not in result.text.replace("\r\n", "")
