#!/usr/bin/env python3
"""Fetch the third-party sources the compile-heavy benchmarks build (offline afterwards).

Nothing fetched is committed: each project's fetched folder is ignored by git, and this
script recreates it from Debian's archive, which apt on these machines reaches.

- rust-serde: the crates of Debian bookworm's ``librust-serde-json-dev``,
  ``librust-serde-derive-dev`` and ``librust-regex-dev`` (with its default features) and their
  dependencies, taken from
  the ``.deb`` files (``apt-get download``: apt checks each against the signed archive) and
  unpacked into ``vendor/`` as a cargo directory source (Debian ships each crate with its
  ``.cargo-checksum.json``). Debian builds these crates with its own rustc 1.63, the one the
  rig's Rust image has.
- c-zstd: the upstream sources of Debian's ``libzstd`` source package (the ``.orig``
  tarball from the pool), checked against the SHA-256 below, unpacked into ``zstd/``.

    python bench/fetch.py [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request

PROJECTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "projects")

# regex's default "perf" feature needs aho-corasick and memchr, which Debian packages apart
CRATE_ROOTS = ("librust-serde-json-dev", "librust-serde-derive-dev", "librust-regex-dev",
               "librust-aho-corasick-dev", "librust-memchr-dev")

ZSTD_URL = "http://deb.debian.org/debian/pool/main/libz/libzstd/libzstd_1.5.4+dfsg2.orig.tar.xz"
ZSTD_SHA256 = "8cf4bbb65e77ec348d052c8d6230eba66d435bddf64c8b5be2fcb16880c19953"


def crate_packages() -> list[str]:
    """The librust-* packages installing CRATE_ROOTS would bring, whatever this machine has
    installed (an empty dpkg status), in apt's order."""
    with tempfile.NamedTemporaryFile("w", suffix=".status") as empty:
        out = subprocess.run(
            ["apt-get", "-s", "-o", f"Dir::State::status={empty.name}", "install",
             "--no-install-recommends", *CRATE_ROOTS],
            capture_output=True, text=True, check=True).stdout
    names = [line.split()[1] for line in out.splitlines() if line.startswith("Inst librust")]
    if not names:
        raise SystemExit("fetch: apt resolved no librust-* package (is Debian's archive reachable?)")
    return names


def fetch_crates(dest: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        debs = os.path.join(tmp, "debs")
        os.mkdir(debs)
        subprocess.run(["apt-get", "download", "-q", *crate_packages()], cwd=debs, check=True,
                       stdout=subprocess.DEVNULL)
        root = os.path.join(tmp, "root")
        for deb in sorted(os.listdir(debs)):
            subprocess.run(["dpkg-deb", "-x", os.path.join(debs, deb), root], check=True)
        registry = os.path.join(root, "usr", "share", "cargo", "registry")
        staging = dest + ".tmp"
        shutil.rmtree(staging, ignore_errors=True)
        os.makedirs(staging)
        for crate in sorted(os.listdir(registry)):
            src = os.path.join(registry, crate)
            if os.path.isfile(os.path.join(src, ".cargo-checksum.json")):
                shutil.copytree(src, os.path.join(staging, crate), symlinks=False)
        count = len(os.listdir(staging))
        shutil.rmtree(dest, ignore_errors=True)
        os.rename(staging, dest)
        return count


def fetch_tarball(url: str, sha256: str, dest: str) -> int:
    with urllib.request.urlopen(url, timeout=120) as resp:
        data = resp.read()
    got = hashlib.sha256(data).hexdigest()
    if got != sha256:
        raise SystemExit(f"fetch: {url}: SHA-256 {got}, expected {sha256}")
    staging = dest + ".tmp"
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    count = 0
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/", 1)
            if len(parts) < 2 or not parts[1] or not (member.isfile() or member.isdir()):
                continue
            member.name = parts[1]
            tar.extract(member, staging, filter="data")
            count += member.isfile()
    shutil.rmtree(dest, ignore_errors=True)
    os.rename(staging, dest)
    return count


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--force", action="store_true", help="fetch again even when the folder exists")
    args = ap.parse_args()
    vendor = os.path.join(PROJECTS, "rust-serde", "vendor")
    if args.force or not os.path.isdir(vendor):
        print(f"rust-serde: {fetch_crates(vendor)} crates in {vendor}", file=sys.stderr)
    zstd = os.path.join(PROJECTS, "c-zstd", "zstd")
    if args.force or not os.path.isdir(zstd):
        print(f"c-zstd: {fetch_tarball(ZSTD_URL, ZSTD_SHA256, zstd)} files in {zstd}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
