#!/usr/bin/env python3
"""Compile-heavy benchmarks on the rig: emulated vs xbuild-converted vs hand-written cross.

Each project in bench/projects/ has its naive ``Dockerfile`` (every stage on the target
platform, so a foreign target compiles under QEMU) and a hand-written
``Dockerfile.cross``; the third variant is ``xbuild convert`` of the naive file for the
platform set being built. For each project, variant and platform set:

- cold: ``docker buildx build --no-cache``;
- edit: after one warm build, a one-line edit of the project's source, then a rebuild.

Builds export nothing (``--output type=cacheonly``): the figures are BuildKit's work, the
same for every variant, without an image store's export time. Each figure is the best of
its runs; every run is kept in the JSON. The variants run in rounds (emulated, converted,
hand; then converted, hand; then hand, converted, ...), so that no variant always runs first. After the runs, the converted build of
amd64+arm64 is exported to an OCI layout and ``xbuild verify`` checks that each platform
holds binaries of its own architecture.

Needs the rig (``bash scripts/rig.sh up``) and the fetched sources (``python bench/fetch.py``).

    python bench/heavy.py [--project NAME ...] [-n 3] [--emulated-runs 1]
                          [--modes cold,edit] [--edit-sets 'linux/arm64;linux/amd64,linux/arm64']
                          [--out bench/results/heavy.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.e2e.examples import rig_contexts  # noqa: E402

PROJECTS = os.path.join(ROOT, "bench", "projects")
RESULTS = os.path.join(ROOT, "bench", "results")
VARIANTS = ("emulated", "converted", "hand")
# (platforms, variants built for them): amd64 alone is the baseline of the
# "amd64+arm64 costs at most 1.3x amd64" target; it runs natively in every variant
PLATFORM_SETS = (("linux/arm64", VARIANTS), ("linux/amd64,linux/arm64", VARIANTS),
                 ("linux/amd64", ("converted",)))


@dataclass(frozen=True)
class Project:
    name: str
    title: str
    source: str  # the file the edit loop changes, relative to the project
    marker: str  # a string in it the edit replaces
    needs: str | None = None  # a fetched folder the build needs


PROJECT_LIST = (
    Project("go-stdlib", "Go: HTTP/TLS/JSON/templates/go/types service (stdlib only)",
            "main.go", 'const banner = "stdlibsvc 1.0"'),
    Project("rust-serde", "Rust: serde + serde_json + regex (60 crates from Debian)",
            "src/main.rs", "fn main() {", needs="vendor"),
    Project("c-zstd", "C: zstd 1.5.4 command-line tool (Debian's libzstd sources)",
            "zstd/programs/zstdcli.c", "#define COMPRESSOR_NAME", needs="zstd"),
)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def build(ctx: str, dockerfile: str, platforms: str, *, no_cache: bool,
          output: str = "type=cacheonly") -> float:
    with open(dockerfile, encoding="utf-8") as fh:
        contexts = rig_contexts(fh.read())
    argv = ["docker", "buildx", "build", "--platform", platforms, "--network=none",
            "--provenance=false", "--progress=plain", "--output", output, "-f", dockerfile,
            *contexts, *(["--no-cache"] if no_cache else []), ctx]
    t0 = time.monotonic()
    p = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    dt = time.monotonic() - t0
    if p.returncode != 0:
        tail = "\n".join(p.stderr.splitlines()[-25:])
        raise SystemExit(f"heavy: build failed ({os.path.basename(dockerfile)}, {platforms}):\n{tail}")
    return dt


def converted(work: str, platforms: str) -> str:
    """xbuild's conversion of the naive Dockerfile for ``platforms``, written beside it."""
    src = os.path.join(work, "Dockerfile")
    p = subprocess.run([sys.executable, "-m", "xbuild", "convert", src, "--platform", platforms,
                        "--context", work], capture_output=True, text=True)
    if p.returncode not in (0, 1) or "stage `build`: moved" not in p.stderr:
        raise SystemExit(f"heavy: xbuild did not move the build stage of {src}:\n{p.stderr}")
    out = os.path.join(work, "Dockerfile.xbuild")
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(p.stdout)
    return out


def edit(path: str, marker: str, n: int) -> None:
    """Put a new comment line before ``marker`` (replacing the last one): a one-line
    source edit no cache can answer."""
    with open(path, encoding="utf-8") as fh:
        text = re.sub(r"^(?://|/\*) xbuild-bench edit .*\n", "", fh.read(), flags=re.M)
    if marker not in text:
        raise SystemExit(f"heavy: {path} no longer holds {marker!r}")
    stamp = f"xbuild-bench edit {os.getpid()}-{n}-{time.time_ns()}"
    line = f"/* {stamp} */\n" if path.endswith((".c", ".h")) else f"// {stamp}\n"
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text.replace(marker, line + marker, 1))
    os.replace(tmp, path)


def copy_project(project: Project, tmp: str) -> str:
    src = os.path.join(PROJECTS, project.name)
    if project.needs and not os.path.isdir(os.path.join(src, project.needs)):
        raise SystemExit(f"heavy: {project.name}/{project.needs} is missing: run python bench/fetch.py")
    work = os.path.join(tmp, project.name)
    shutil.copytree(src, work, symlinks=True)
    return work


def rounds(variants: list[str], runs: dict[str, int]) -> Iterator[str]:
    """The order to run the variants in: rounds, each round starting one variant later than the last,
    so that no variant always runs first (the first build after a pause is the slowest:
    page cache, CPU frequency) and a drift in the machine's load falls on all of them."""
    for i in range(max(runs.values(), default=0)):
        due = [v for v in variants if i < runs[v]]
        yield from due[i % len(due):] + due[:i % len(due)]


def run_project(project: Project, args: argparse.Namespace, tmp: str) -> dict[str, object]:
    work = copy_project(project, tmp)
    figures: dict[str, dict[str, dict[str, list[float]]]] = {}
    files = {"emulated": os.path.join(work, "Dockerfile"), "hand": os.path.join(work, "Dockerfile.cross")}
    for platforms, variants in PLATFORM_SETS:
        conv = converted(work, platforms)
        if platforms == "linux/amd64,linux/arm64":
            shutil.copy(conv, os.path.join(RESULTS, f"{project.name}.converted.Dockerfile"))
        chosen = [v for v in variants if not args.variant or v in args.variant]
        dockerfiles = {v: conv if v == "converted" else files[v] for v in chosen}
        runs = {v: args.emulated_runs if v == "emulated" else args.n for v in chosen}
        if "cold" in args.modes:
            for variant in rounds(chosen, runs):
                t = build(work, dockerfiles[variant], platforms, no_cache=True)
                figures.setdefault(variant, {}).setdefault("cold", {}).setdefault(platforms, []).append(t)
                log(f"{project.name} {variant} cold {platforms}: {t:.1f} s")
        if "edit" in args.modes and platforms in args.edit_sets and not (
                platforms == "linux/amd64" and "cold" in args.modes):
            for variant in chosen:
                build(work, dockerfiles[variant], platforms, no_cache=False)  # warm
            for n, variant in enumerate(rounds(chosen, runs)):
                edit(os.path.join(work, project.source), project.marker, n)
                t = build(work, dockerfiles[variant], platforms, no_cache=False)
                figures.setdefault(variant, {}).setdefault("edit", {}).setdefault(platforms, []).append(t)
                log(f"{project.name} {variant} edit {platforms}: {t:.1f} s")
    verified = None
    if not args.no_verify:
        layout = os.path.join(tmp, f"{project.name}.oci")
        build(work, converted(work, "linux/amd64,linux/arm64"), "linux/amd64,linux/arm64",
              no_cache=False, output=f"type=oci,dest={layout},tar=false")
        p = subprocess.run([sys.executable, "-m", "xbuild", "verify", layout, "--platform",
                            "linux/amd64,linux/arm64"], capture_output=True, text=True)
        verified = p.returncode == 0
        log(f"{project.name} converted amd64+arm64 verify: exit {p.returncode} {p.stdout.strip()[-200:]}")
    return {"title": project.title, "figures": figures, "verified": verified}


def machine() -> dict[str, object]:
    def out(*argv: str) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // (1024 * 1024) for line in open("/proc/meminfo", encoding="utf-8")
                if line.startswith("MemTotal")), 0)
    return {"cpu": cpu, "cpus": os.cpu_count(), "memory_gib": mem, "kernel": platform.release(),
            "docker": out("docker", "version", "--format", "{{.Server.Version}}"),
            "buildx": out("docker", "buildx", "version"),
            "qemu": out("qemu-aarch64-static", "--version").splitlines()[0:1],
            "load_before": os.getloadavg()[0]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--project", action="append", help="only these projects (repeatable)")
    ap.add_argument("--variant", action="append", choices=VARIANTS, help="only these variants")
    ap.add_argument("-n", type=int, default=3, help="runs of each converted/hand build (best kept)")
    ap.add_argument("--emulated-runs", type=int, default=3, help="runs of each emulated build")
    ap.add_argument("--modes", default="cold,edit", help="cold, edit or both (default)")
    ap.add_argument("--edit-sets", default=";".join(p for p, _ in PLATFORM_SETS[:2]),
                    help="platform sets of the edit loop, ';'-separated (default: arm64 and amd64+arm64)")
    ap.add_argument("--no-verify", action="store_true", help="skip the xbuild verify of the result")
    ap.add_argument("--out", default=os.path.join(RESULTS, "heavy.json"))
    args = ap.parse_args()
    args.modes = set(args.modes.split(","))
    args.edit_sets = set(args.edit_sets.split(";"))
    if subprocess.run(["bash", os.path.join(ROOT, "scripts", "rig.sh"), "status"],
                      capture_output=True).returncode != 0:
        raise SystemExit("heavy: the rig is not running (bash scripts/rig.sh up)")
    os.makedirs(RESULTS, exist_ok=True)
    results: dict[str, object] = {}
    if os.path.exists(args.out):  # keep other projects' figures when running one
        with open(args.out, encoding="utf-8") as fh:
            results = json.load(fh)
    results["machine"] = machine()
    method = results.setdefault("method", {})
    assert isinstance(method, dict)
    for project in args.project or [p.name for p in PROJECT_LIST]:
        prior = method.get(project)
        # a project measured before per-project counts existed ran with the run-wide ones
        said: dict[str, Any] = prior if isinstance(prior, dict) else {
            k: method[k] for k in ("runs", "emulated_runs") if k in method}
        ran = set(args.variant or VARIANTS)
        if ran & {"converted", "hand"}:
            said["runs"] = args.n
        if "emulated" in ran:
            said["emulated_runs"] = args.emulated_runs
        said["edit_sets"] = sorted(set(said.get("edit_sets", [])) | args.edit_sets)
        method[project] = said
    method.update({"output": "type=cacheonly", "network": "none", "order": "rounds"})
    projects = results.setdefault("projects", {})
    assert isinstance(projects, dict)
    with tempfile.TemporaryDirectory(prefix="xbuild-heavy-") as tmp:
        for project in PROJECT_LIST:
            if args.project and project.name not in args.project:
                continue
            t0 = time.monotonic()
            fresh = run_project(project, args, tmp)
            old = projects.get(project.name, {})
            if isinstance(old, dict):  # merge: a partial run replaces only what it measured
                fresh_figures = fresh["figures"]
                assert isinstance(fresh_figures, dict)
                for variant, modes in fresh_figures.items():
                    for mode, sets in modes.items():
                        old.setdefault("figures", {}).setdefault(variant, {}).setdefault(mode, {}).update(sets)
                old["title"] = fresh["title"]
                if fresh["verified"] is not None:
                    old["verified"] = fresh["verified"]
                fresh = old
            projects[project.name] = fresh
            log(f"{project.name}: {time.monotonic() - t0:.0f} s in all")
            tmp_out = args.out + ".tmp"
            with open(tmp_out, "w", encoding="utf-8") as fh:
                json.dump(results, fh, indent=1, sort_keys=True)
                fh.write("\n")
            os.replace(tmp_out, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
