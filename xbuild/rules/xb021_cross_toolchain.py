"""A moved Rust/C/cgo stage gets a cross toolchain for the target platform.

Why: a compiler on $BUILDPLATFORM needs a linker, a C library and headers for
the target. Native helper (Debian): a ``case "$TARGETPLATFORM"`` generated from
xbuild's platform table writes the triples and Debian arch to
/tmp/xbuild-target.env (unknown platforms, and linux/arm/v6 which Debian has no
port for, fail the build with a message), then ``dpkg --add-architecture``,
``crossbuild-essential-<debarch>`` and the stage's ``-dev`` packages as
``:<debarch>``. xx helper (Alpine, or --helper xx): tonistiigi/xx pinned by
digest, clang+lld for the build machine and ``xx-apk``/``xx-apt-get`` for the
target's libraries. https://github.com/tonistiigi/xx#readme

Before:
    RUN cargo build --release
After:
    ARG TARGETPLATFORM
    RUN case "$TARGETPLATFORM" in \\
          linux/amd64 | linux/amd64/*) echo 'export RUST_TARGET=x86_64-unknown-linux-gnu ...' ;; \\
          ...
          *) echo "xbuild: unsupported platform $TARGETPLATFORM" >&2; exit 1 ;; \\
        esac > /tmp/xbuild-target.env && ... apt-get install -y --no-install-recommends $XB_TOOLCHAIN
    RUN . /tmp/xbuild-target.env && ... cargo build --target "$RUST_TARGET" --release ...
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
