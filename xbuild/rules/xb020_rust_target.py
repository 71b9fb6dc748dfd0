"""`cargo build` compiles for the target triple; executables copied back to target/<profile>/.

Why: on $BUILDPLATFORM cargo builds for the build machine unless given
``--target``. The triple, the cross linker (``CARGO_TARGET_<TRIPLE>_LINKER``)
and the C compiler for ``-sys`` crates (``CC_<triple>``) come from the
build-time platform table in /etc/xbuild.env (Debian) or from
tonistiigi/xx's ``xx-cargo`` (Alpine). ``rustup target add`` runs where cargo
runs so a rust-toolchain.toml pin gets the target too. ``--target`` moves the
output to ``target/<triple>/<profile>/``; the executables are copied back in the
same RUN so later steps and ``COPY --from`` paths keep working.
https://doc.rust-lang.org/cargo/reference/config.html#targettriplelinker

Before:
    RUN cargo build --release
After (Debian builder):
    RUN . /etc/xbuild.env && cargo build --target "$RUST_TARGET" --release && \
        find target/"$RUST_TARGET"/release -maxdepth 1 -type f -perm -100 -exec install -pDt target/release {} +
After (Alpine builder, xx):
    RUN xx-cargo build --release && \
        find target/"$(xx-cargo --print-target-triple)"/release ... -exec install -pDt target/release {} +
"""

from __future__ import annotations

from xbuild.context import Context, Fix
from xbuild.rules._wording import ON_BUILD, Plans, passthrough, reword

CODE = "XB020"
NAME = "rust-target-triple"

PROBLEM = f"{ON_BUILD}, cargo builds for the build machine"


def check(ctx: Context, plans: Plans) -> list[Fix]:
    return reword(passthrough(plans, CODE), PROBLEM, (
        (r"(`[^`]+`) compiles for the target triple; executables copied back to (\S+)",
         rf"\1 compiles for the build machine {ON_BUILD}; build it with --target for the "
         r"target's triple and copy the executables back to \2"),
        (r"(`[^`]+`) compiles for the target triple",
         rf"\1 compiles for the build machine {ON_BUILD}; build it with --target for the "
         "target's triple"),
        (r"strip with the target's strip",
         "the build machine's `strip` cannot strip the target's binaries; use the "
         "target's strip"),))
