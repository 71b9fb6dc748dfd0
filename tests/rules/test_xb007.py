"""XB007 redundant-target-platform (a note)."""

import pytest
from ruletest import assert_noop, assert_reports

CODE = "XB007"


@pytest.mark.parametrize("src", [
    pytest.param("""
        FROM alpine
    """, id="none"),
    pytest.param("""
        FROM --platform=$TARGETPLATFORM golang:1.22 AS build
        RUN go build -o /app .
        FROM alpine
        COPY --from=build /app /app
    """, id="moved-stage-gets-buildplatform-instead"),
])
def test_noop(src):
    assert_noop(src, CODE)


@pytest.mark.parametrize(("src", "line"), [
    pytest.param("""
        FROM --platform=$TARGETPLATFORM alpine
        RUN echo hi
    """, 1, id="runtime"),
    pytest.param("""
        FROM --platform=${TARGETPLATFORM} alpine
    """, 1, id="braces"),
])
def test_reports(src, line):
    finding = assert_reports(src, CODE, line, contains="stage gets by default; drop it")
    assert finding.severity == "note"
