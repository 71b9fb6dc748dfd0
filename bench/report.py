#!/usr/bin/env python3
"""Table, target verdicts and bar chart of bench/heavy.py's figures.

    python bench/report.py [bench/results/heavy.json] [--md bench/results/heavy.md]
                           [--png docs/img/benchmark.png]

The chart needs matplotlib (``pip install '.[bench]'``); the table does not.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = ("emulated", "converted", "hand")
SETS = ("linux/arm64", "linux/amd64,linux/arm64")
LABEL = {"linux/arm64": "arm64", "linux/amd64,linux/arm64": "amd64+arm64", "linux/amd64": "amd64"}
# issue 12's targets
CONVERTED_VS_HAND = 1.05
EMULATED_VS_CONVERTED_COLD = 8.0
BOTH_VS_AMD64 = 1.3


@dataclass(frozen=True)
class Verdict:
    target: str
    where: str
    value: float
    met: bool

    def line(self) -> str:
        return f"| {self.target} | {self.where} | {self.value:.3f} | {'met' if self.met else 'missed'} |"


def best(figures: dict[str, Any], variant: str, mode: str, platforms: str) -> float | None:
    runs = figures.get(variant, {}).get(mode, {}).get(platforms)
    return min(runs) if runs else None


def runs_of(figures: dict[str, Any], variant: str, mode: str, platforms: str) -> int:
    return len(figures.get(variant, {}).get(mode, {}).get(platforms) or [])


def fmt(t: float | None) -> str:
    return "-" if t is None else f"{t:.1f}"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None or b == 0 else f"{a / b:.1f}x"


def table(data: dict[str, Any]) -> list[str]:
    lines = ["| project | platforms | build | emulated (s) | converted (s) | hand-cross (s) "
             "| emulated / converted | converted / hand |",
             "|---|---|---|---|---|---|---|---|"]
    for name, project in data.get("projects", {}).items():
        figures = project.get("figures", {})
        for mode in ("cold", "edit"):
            for platforms in SETS:
                emu, conv, hand = (best(figures, v, mode, platforms) for v in VARIANTS)
                if conv is None and emu is None:
                    continue
                c_h = "-" if conv is None or hand is None else f"{conv / hand:.2f}"
                lines.append(f"| {name} | {LABEL[platforms]} | {mode} | {fmt(emu)} | {fmt(conv)} "
                             f"| {fmt(hand)} | {ratio(emu, conv)} | {c_h} |")
    return lines


def verdicts(data: dict[str, Any]) -> list[Verdict]:
    out: list[Verdict] = []
    for name, project in data.get("projects", {}).items():
        f = project.get("figures", {})
        for mode in ("cold", "edit"):
            for platforms in SETS:
                where = f"{name}, {LABEL[platforms]}, {mode}"
                emu, conv, hand = (best(f, v, mode, platforms) for v in VARIANTS)
                if conv is not None and hand is not None:
                    out.append(Verdict(f"converted <= {CONVERTED_VS_HAND}x hand-cross", where,
                                       conv / hand, conv <= CONVERTED_VS_HAND * hand))
                if mode == "cold" and conv is not None and emu is not None:
                    out.append(Verdict(f"emulated / converted >= {EMULATED_VS_CONVERTED_COLD:g}x",
                                       where, emu / conv, emu >= EMULATED_VS_CONVERTED_COLD * conv))
                if mode == "edit" and conv is not None and emu is not None:
                    out.append(Verdict("converted <= emulated (edit loop)", where, conv / emu,
                                       conv <= emu))
        for mode in ("cold", "edit"):
            both, alone = (best(f, "converted", mode, p) for p in ("linux/amd64,linux/arm64", "linux/amd64"))
            if both is not None and alone is not None:
                out.append(Verdict(f"amd64+arm64 <= {BOTH_VS_AMD64}x amd64 alone (converted)",
                                   f"{name}, {mode}", both / alone, both <= BOTH_VS_AMD64 * alone))
    return out


def runs_said(method: dict[str, Any], project: str) -> str:
    m = method.get(project) or method  # per project, or one method for the whole run
    return f"{m.get('runs', '?')} (emulated: {m.get('emulated_runs', '?')})"


def markdown(data: dict[str, Any]) -> str:
    m = data.get("machine", {})
    method = data.get("method", {})
    head = [
        "# Compile-heavy benchmarks (bench/heavy.py)",
        "",
        f"Machine: {m.get('cpu', '?')}, {m.get('cpus', '?')} CPUs, {m.get('memory_gib', '?')} GiB, "
        f"kernel {m.get('kernel', '?')}, dockerd {m.get('docker', '?')}, {m.get('buildx', '?')}, "
        f"QEMU user mode ({' '.join(m.get('qemu') or ['?'])}); load average "
        f"{m.get('load_before', 0):.1f} when the run began.",
        "",
        "Each figure is the best of its runs: "
        + "; ".join(f"{n}: best of {runs_said(method, n)}" for n in data.get("projects", {}))
        + f". --network=none, --output {method.get('output', '?')}. cold: --no-cache; edit: a "
        "one-line source edit, warm cache."
        + (" The variants ran in rounds, each round starting with a different one, so that none "
           "always ran first." if method.get("order") == "rounds" else ""),
        "",
        *table(data),
        "",
        "| target | where | ratio | verdict |",
        "|---|---|---|---|",
        *(v.line() for v in verdicts(data)),
        "",
        "Verified: " + ", ".join(f"{n} {'ok' if p.get('verified') else 'NOT verified'}"
                                 for n, p in data.get("projects", {}).items())
        + " (`xbuild verify` of the converted amd64+arm64 build: every ELF file of each "
          "platform has that platform's architecture).",
    ]
    return "\n".join(head) + "\n"


def chart(data: dict[str, Any], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, NullLocator, ScalarFormatter

    projects = data.get("projects", {})

    def measured(mode: str) -> list[tuple[str, str]]:
        return [
            (n, p)
            for n in projects
            for p in SETS
            if any(best(projects[n].get("figures", {}), v, mode, p) is not None for v in VARIANTS)
        ]

    modes = [m for m in ("cold", "edit") if measured(m)] or ["cold"]
    fig, axes = plt.subplots(
        1, len(modes), figsize=(12, 4.8), sharey=True, squeeze=False,
        gridspec_kw={"width_ratios": [max(1, len(measured(m))) for m in modes]},
    )
    colors = {"emulated": "#c0504d", "converted": "#4f81bd", "hand": "#9bbb59"}
    names = {"emulated": "naive, emulated", "converted": "converted by xbuild", "hand": "hand-written cross"}
    for ax, mode in zip(axes[0], modes, strict=True):
        groups = measured(mode)
        width = 0.27
        for k, variant in enumerate(VARIANTS):
            xs, ys = [], []
            for i, (n, p) in enumerate(groups):
                t = best(projects[n].get("figures", {}), variant, mode, p)
                if t is not None:
                    xs.append(i + (k - 1) * width)
                    ys.append(t)
            bars = ax.bar(xs, ys, width, label=names[variant], color=colors[variant])
            ax.bar_label(bars, fmt="%.0f", fontsize=7, padding=1)
        ax.set_xticks(range(len(groups)), [f"{n}\n{LABEL[p]}" for n, p in groups], fontsize=8)
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(FixedLocator([10, 20, 50, 100, 200, 500]))
        ax.yaxis.set_major_formatter(ScalarFormatter())
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_ylim(10, 700)
        ax.set_title("cold (--no-cache)" if mode == "cold" else "edit loop (one-line edit, warm cache)")
        ax.grid(axis="y", alpha=0.3)
    axes[0][0].set_ylabel("wall time, s (log scale; lower is better)")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fig.savefig(path, dpi=110)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("json", nargs="?", default=os.path.join(ROOT, "bench", "results", "heavy.json"))
    ap.add_argument("--md", default=os.path.join(ROOT, "bench", "results", "heavy.md"))
    ap.add_argument("--png", default=os.path.join(ROOT, "docs", "img", "benchmark.png"))
    ap.add_argument("--no-png", action="store_true")
    args = ap.parse_args()
    with open(args.json, encoding="utf-8") as fh:
        data = json.load(fh)
    text = markdown(data)
    with open(args.md, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(text)
    if not args.no_png:
        chart(data, args.png)
        print(f"chart: {args.png}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
