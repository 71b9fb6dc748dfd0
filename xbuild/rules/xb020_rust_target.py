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

CODE = "XB020"
NAME = "rust-target-triple"


def check(ctx: Context, plans: dict) -> list[Fix]:
    return [f for p in plans.values() if p.cross is not None
            for f in p.cross.fixes if f.code == CODE]
