"""xbuild.images: the one home of base-image classification (issue 14.1). Before it,
toolchain.py and XB042 kept two lists of Debian images that disagreed (cargo-chef was
Debian for the toolchain and unknown for XB042), and three more modules parsed image
references their own way."""

from __future__ import annotations

import pytest

from xbuild.convert import convert
from xbuild.images import Image


@pytest.mark.parametrize(("ref", "name", "tag", "distro", "libc"), [
    ("golang:1.22", "golang", "1.22", "debian", "glibc"),
    ("docker.io/library/golang:1.22-alpine@sha256:" + "a" * 64, "golang", "1.22-alpine",
     "alpine", "musl"),
    ("localhost:5000/rust", "rust", "", "debian", "glibc"),
    ("lukemathwalker/cargo-chef:latest-rust-1.79", "cargo-chef", "latest-rust-1.79", "debian",
     "glibc"),
    ("ubuntu:24.04", "ubuntu", "24.04", "ubuntu", "glibc"),
    ("alpine", "alpine", "", "alpine", "musl"),
    ("scratch", "scratch", "", "unknown", "none"),
    ("gcr.io/distroless/static-debian12:nonroot", "static-debian12", "nonroot", "unknown", "none"),
    ("busybox:1.36-musl", "busybox", "1.36-musl", "unknown", "musl"),
    ("myorg/builder:bookworm", "builder", "bookworm", "unknown", None),
])
def test_classification(ref, name, tag, distro, libc):
    image = Image(ref)
    assert (image.name, image.tag, image.distro, image.libc) == (name, tag, distro, libc)


def test_toolchain_facts():
    assert Image("golang:1.22").ships_gcc and not Image("golang:1.22-alpine").ships_gcc
    assert Image("golangci/golangci-lint:v1.59").golang
    assert Image("rust:1.79").cargo_home == "/usr/local/cargo"
    assert Image("debian:12").cargo_home == "/root/.cargo"
    assert Image("clux/muslrust:stable").fixed_toolchain.startswith("clux/muslrust")
    assert Image("rust:1.79").fixed_toolchain is None
    assert Image("golang:1.22").language == "go" and Image("gcc:14").c_toolchain
    assert Image("${BASE}").dynamic


def test_cargo_chef_builder_is_glibc_for_xb042_as_for_the_toolchain():
    """Regression: the two lists disagreed, so a glibc Rust build on cargo-chef copied
    into alpine was not reported."""
    text = ("FROM lukemathwalker/cargo-chef:latest-rust-1.79 AS build\n"
            "WORKDIR /app\nCOPY . .\nRUN cargo build --release\n"
            "FROM alpine\nCOPY --from=build /app/target/release/app /app\n")
    codes = {f.code for f in convert(text).findings}
    assert "XB042" in codes
