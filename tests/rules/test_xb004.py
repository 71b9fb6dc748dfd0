"""XB004 go-install-output-dir."""

import pytest

from ruletest import assert_fixes, assert_noop

CODE = "XB004"


@pytest.mark.parametrize("src", [
    pytest.param("""
        FROM golang:1.22-alpine AS b
        RUN go build -o /app .
        FROM alpine
        COPY --from=b /app /app
    """, id="go-build-not-install"),
    pytest.param("""
        FROM golang:1.22-alpine
        RUN go install ./cmd/app
    """, id="exported-stage-not-moved"),
])
def test_noop(src):
    assert_noop(src, CODE)


FOLLOW = ('{ [ ! -d "$(go env GOPATH)/bin/${TARGETOS}_${TARGETARCH}" ] || '
          'mv "$(go env GOPATH)/bin/${TARGETOS}_${TARGETARCH}"/* "$(go env GOPATH)/bin/"; }')


@pytest.mark.parametrize(("src", "expected", "line"), [
    pytest.param("""
        FROM golang:1.22-alpine AS build
        RUN go install ./cmd/app
        FROM alpine
        COPY --from=build /go/bin/app /app
    """, """
        FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build
        ARG TARGETOS TARGETARCH TARGETVARIANT
        RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go install ./cmd/app && %s
        FROM alpine
        COPY --from=build /go/bin/app /app
    """ % FOLLOW, 2, id="install-followed"),
])
def test_fixes(src, expected, line):
    assert_fixes(src, expected, CODE, line)
