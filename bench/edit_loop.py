#!/usr/bin/env python3
"""Edit loop on the rig: warm cache, one-line edit of src/main.rs, rebuild (issue 12).

For examples/hello-rust, the naive Dockerfile (arm64 compile under QEMU) and xbuild's
conversion are built once for ``--platform`` to warm the cache; then N times: change one
line of src/main.rs and rebuild. Prints each rebuild's wall time, the best, and which
steps BuildKit ran (not CACHED) in the best converted rebuild, so a toolchain step that
reruns shows up. Work happens in a copy under /tmp; nothing is pushed.

    python bench/edit_loop.py [-n 3] [--platform linux/arm64] [--example hello-rust]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.e2e.examples import EXAMPLES  # noqa: E402
from xbuild.convert import convert  # noqa: E402
from xbuild.files import read_dockerfile  # noqa: E402
from xbuild.result import Options  # noqa: E402

SOURCE = {"hello-rust": "src/main.rs", "hello-go": "main.go", "hello-c": "main.c"}


def build(ctx: str, platform: str, network: str, contexts: list[str]) -> tuple[float, str]:
    argv = ["docker", "buildx", "build", "--platform", platform, "--progress=plain", network,
            "--provenance=false", "--output", "type=cacheonly", *contexts, ctx]
    t0 = time.monotonic()
    p = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    dt = time.monotonic() - t0
    if p.returncode != 0:
        raise SystemExit(f"edit_loop: build failed in {ctx}:\n" + "\n".join(p.stderr.splitlines()[-20:]))
    return dt, p.stderr


def steps(log: str) -> tuple[list[str], list[str]]:
    """(steps BuildKit ran, steps it took from the cache) of a --progress=plain log."""
    names, cached = {}, set()
    for line in log.splitlines():
        m = re.match(r"#(\d+) \[(.+?)\] (.*)", line)
        if m:
            names[m.group(1)] = f"[{m.group(2)}] {m.group(3)[:90]}"
        m = re.match(r"#(\d+) CACHED", line)
        if m:
            cached.add(m.group(1))
    keep = {k: v for k, v in names.items() if re.search(r"\] (RUN|COPY|WORKDIR|ADD) ", v)}
    return ([v for k, v in keep.items() if k not in cached], [v for k, v in keep.items() if k in cached])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=3)
    ap.add_argument("--platform", default="linux/arm64")
    ap.add_argument("--example", default="hello-rust")
    args = ap.parse_args()
    ex = next(e for e in EXAMPLES if e.name == args.example)
    results = {}
    for variant in ("emulated", "converted"):
        work = f"/tmp/xbuild-edit-loop-{os.getpid()}-{variant}"
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(ex.path, work, ignore=shutil.ignore_patterns("target", "Dockerfile.xbuild-init"))
        df = os.path.join(work, "Dockerfile")
        network = "--network=none"
        if variant == "converted":
            text = read_dockerfile(df)
            result = convert(text, df, Options(platforms=tuple(args.platform.split(",")), context=work))
            with open(df, "w", encoding="utf-8") as fh:
                fh.write(result.text)
            if "apt-get" in result.text:
                network = "--network=host"
        src = os.path.join(work, SOURCE[ex.name])
        original = open(src, encoding="utf-8").read()
        build(work, args.platform, network, ex.context_args())  # warm
        times = []
        for i in range(args.n):
            with open(src, "w", encoding="utf-8") as fh:
                fh.write(original.replace("Hello", f"Hello{os.getpid()}x{i}", 1) if "Hello" in original else original + f"\n// {i}\n")
            dt, log = build(work, args.platform, network, ex.context_args())
            times.append((dt, log))
            print(f"{variant} rebuild {i + 1}: {dt:.1f} s", file=sys.stderr, flush=True)
        best = min(times, key=lambda t: t[0])
        results[variant] = (best[0], [t[0] for t in times], steps(best[1]))
        shutil.rmtree(work, ignore_errors=True)
    print(f"{ex.name}, {args.platform}, warm cache, one-line edit of {SOURCE[ex.name]}, best of {args.n}\n")
    print("| build | rebuilds (s) | best (s) |\n|---|---|---|")
    for v, (best, all_, _) in results.items():
        print(f"| {v} | {', '.join(f'{t:.1f}' for t in all_)} | {best:.1f} |")
    for v, (_, _, (ran, cached)) in results.items():
        print(f"\nbest {v} rebuild, steps that ran:")
        for s in ran:
            print(f"  {s}")
        print("steps CACHED:")
        for s in cached:
            print(f"  {s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
