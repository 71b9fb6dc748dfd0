"""XB005 target-arg-default."""

import pytest
from ruletest import assert_fixes, assert_noop

CODE = "XB005"


@pytest.mark.parametrize("src", [
    pytest.param("""
        ARG TARGETARCH
        FROM alpine
    """, id="no-default"),
    pytest.param("""
        ARG VERSION=1.0
        FROM alpine
        ARG BUILDARCH
    """, id="other-args"),
])
def test_noop(src):
    assert_noop(src, CODE)


@pytest.mark.parametrize(("src", "expected", "line"), [
    pytest.param("""
        ARG TARGETARCH=amd64
        FROM alpine
    """, """
        ARG TARGETARCH
        FROM alpine
    """, 1, id="global"),
    pytest.param("""
        FROM alpine
        ARG TARGETOS=linux TARGETARCH=arm64 VERSION=1
        RUN echo $TARGETOS $TARGETARCH
    """, """
        FROM alpine
        ARG TARGETOS TARGETARCH VERSION=1
        RUN echo $TARGETOS $TARGETARCH
    """, 2, id="in-stage-several"),
])
def test_fixes(src, expected, line):
    assert_fixes(src, expected, CODE, line)
