"""XB006 constant-platform (report only)."""

import pytest
from ruletest import assert_noop, assert_reports

CODE = "XB006"


@pytest.mark.parametrize("src", [
    pytest.param("""
        FROM --platform=$BUILDPLATFORM alpine
    """, id="variable"),
    pytest.param("""
        FROM alpine
    """, id="none"),
])
def test_noop(src):
    assert_noop(src, CODE)


@pytest.mark.parametrize(("src", "line"), [
    pytest.param("""
        FROM --platform=linux/amd64 golang:1.22 AS build
        RUN go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, 1, id="build-stage"),
    pytest.param("""
        FROM alpine
        FROM --platform=linux/arm/v7 alpine
    """, 2, id="variant"),
])
def test_reports(src, line):
    assert_reports(src, CODE, line, contains="--platform=")
