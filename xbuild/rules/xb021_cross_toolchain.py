"""A moved Rust/C/cgo stage gets a cross toolchain for the target platform.

Why: a compiler on $BUILDPLATFORM needs a linker, a C library and headers for
the target. Native helper (Debian): a ``case "$TARGETPLATFORM"`` generated from
xbuild's platform table (one row per platform of --platforms, table columns only;
other platforms, and linux/arm/v6 which Debian has no port for, fail the build with
a message), the derived variables written once to /etc/xbuild.env, then, unless the
target is the build machine's arch, ``gcc-<triple>`` (``g++-<triple>`` for C++) and
the stage's ``-dev`` packages as ``:<debarch>``. It goes before the first COPY of the
project's sources, so a source edit leaves it cached. xx helper (Alpine, or --helper
xx): tonistiigi/xx pinned by digest, clang+lld for the build machine and
``xx-apk``/``xx-apt-get`` for the target's libraries. https://github.com/tonistiigi/xx#readme
Generator and rationale: xbuild/crossmap.py, docs/recipes.md.

Before:
    COPY src ./src
    RUN cargo build --release
After:
    ARG TARGETPLATFORM
    # xbuild: cross toolchain; rows: Debian arch, GNU triple, Rust target (from xbuild's platform table)
    RUN set -e; case "$TARGETPLATFORM" in linux/amd64*) set -- amd64 x86_64-linux-gnu x86_64-unknown-linux-gnu ;; \\
          linux/arm64*) set -- arm64 aarch64-linux-gnu aarch64-unknown-linux-gnu ;; \\
          *) echo "xbuild: $TARGETPLATFORM is not in this table (--platforms)" >&2; exit 1 ;; esac; rustup target add $3; \\
        printf 'export %s\\n' RUST_TARGET=$3 CARGO_TARGET_$(echo $3 | tr a-z- A-Z_)_LINKER=$2-gcc > /etc/xbuild.env; \\
        command -v $2-gcc >/dev/null || { apt-get update; apt-get install -y $(echo gcc-$2 | tr _ -); }
    COPY src ./src
    RUN . /etc/xbuild.env && cargo build --target "$RUST_TARGET" --release ...
"""

from __future__ import annotations

from xbuild.context import Context, Fix
from xbuild.rules._wording import ON_BUILD, Plans, passthrough, reword

CODE = "XB021"
NAME = "cross-toolchain-setup"

PROBLEM = (f"{ON_BUILD}, its compiler needs a linker, C library and headers for the "
           "target platform")


def check(ctx: Context, plans: Plans) -> list[Fix]:
    return reword(passthrough(plans, CODE), PROBLEM)
