#!/usr/bin/env python3
"""Wall time of each example's naive (emulated) build vs xbuild's converted build.

For each example and each platform set (linux/arm64 alone, then linux/amd64 +
linux/arm64): `docker buildx build --no-cache` of the original Dockerfile, and
`xbuild build ... -- --no-cache` of the same directory; best of N runs each.
Prints a Markdown table with the speed-up (emulated / converted). An example
xbuild leaves unchanged gets a row saying so.

Needs the rig: `sudo bash scripts/rig.sh up`. Usage:
    python bench/e2e_bench.py [-n N] [--example hello-go ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.e2e.examples import EXAMPLES  # noqa: E402

PLATFORM_SETS = ("linux/arm64", "linux/amd64,linux/arm64")


def timed(argv: list[str]) -> float:
    t0 = time.monotonic()
    p = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    elapsed = time.monotonic() - t0
    if p.returncode != 0:
        tail = "\n".join((p.stdout + p.stderr).splitlines()[-15:])
        raise SystemExit(f"e2e_bench: build failed: {' '.join(argv[:6])} ...\n{tail}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1, help="runs per build; the best is kept (default 1)")
    ap.add_argument("--example", action="append", help="only these examples (repeatable)")
    args = ap.parse_args()
    if subprocess.run(["bash", os.path.join(ROOT, "scripts", "rig.sh"), "status"]).returncode != 0:
        raise SystemExit("e2e_bench: the rig is not running (sudo bash scripts/rig.sh up)")

    from xbuild.convert import convert
    from xbuild.files import read_dockerfile
    from xbuild.result import Options

    rows = []
    for ex in EXAMPLES:
        if args.example and ex.name not in args.example:
            continue
        dockerfile = os.path.join(ex.path, "Dockerfile")
        for plats in PLATFORM_SETS:
            result = convert(read_dockerfile(dockerfile), dockerfile,
                             Options(platforms=tuple(plats.split(",")), context=ex.path))
            network = "--network=host" if "apt-get" in result.text else "--network=none"
            common = ["--no-cache", "--provenance=false", "--progress=plain", *ex.context_args()]
            original = ["docker", "buildx", "build", "--platform", plats, "--network=none", *common, ex.path]
            converted = [sys.executable, "-m", "xbuild", "build", ex.path, "--platform", plats, "--",
                         network, *common]
            emu = min(timed(original) for _ in range(args.n))
            if not result.changed:
                rows.append((ex.name, plats, f"{emu:.1f}", "n/a", "xbuild leaves it unchanged"))
                continue
            cross = min(timed(converted) for _ in range(args.n))
            rows.append((ex.name, plats, f"{emu:.1f}", f"{cross:.1f}", f"{emu / cross:.1f}x"))
            print(" ".join(rows[-1]), file=sys.stderr, flush=True)

    print(f"best of {args.n}, --no-cache, {os.cpu_count()} CPUs\n")
    print("| example | platforms | naive, emulated (s) | converted by xbuild, cross (s) | speed-up |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
