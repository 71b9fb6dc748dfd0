"""bench/report.py: the benchmark table and the verdicts against issue 12's targets."""

from __future__ import annotations

import importlib.util
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location("bench_report", os.path.join(ROOT, "bench", "report.py"))
assert _spec and _spec.loader
report = importlib.util.module_from_spec(_spec)
sys.modules["bench_report"] = report  # dataclasses look their module up
_spec.loader.exec_module(report)

ARM, BOTH, AMD = "linux/arm64", "linux/amd64,linux/arm64", "linux/amd64"
DATA = {
    "machine": {"cpu": "test cpu", "cpus": 2},
    "method": {"runs": 3, "emulated_runs": 1, "output": "type=cacheonly"},
    "projects": {"p": {"verified": True, "figures": {
        "emulated": {"cold": {ARM: [300.0], BOTH: [310.0]}, "edit": {ARM: [200.0]}},
        "converted": {"cold": {ARM: [31.0, 30.0, 33.0], BOTH: [60.0], AMD: [25.0]},
                      "edit": {ARM: [5.0, 4.0]}},
        "hand": {"cold": {ARM: [29.0], BOTH: [55.0]}, "edit": {ARM: [4.5]}},
    }}},
}


def test_the_table_takes_the_best_run_and_the_ratios():
    rows = report.table(DATA)
    assert "| p | arm64 | cold | 300.0 | 30.0 | 29.0 | 10.0x | 1.03 |" in rows
    assert "| p | arm64 | edit | 200.0 | 4.0 | 4.5 | 50.0x | 0.89 |" in rows
    # no edit figures for amd64+arm64: no row
    assert not any("| amd64+arm64 | edit |" in r for r in rows)


def test_verdicts_meet_and_miss_the_targets():
    v = {(x.target.split(" ")[0] + x.target.split(" ")[-1], x.where): x for x in report.verdicts(DATA)}
    assert v[("converted" + "hand-cross", "p, arm64, cold")].met  # 30 <= 1.05 * 29
    assert not v[("converted" + "hand-cross", "p, amd64+arm64, cold")].met  # 60 > 1.05 * 55
    assert v[("emulated" + "8x", "p, arm64, cold")].met  # 300 / 30 = 10
    assert not v[("emulated" + "8x", "p, amd64+arm64, cold")].met  # 310 / 60 < 8
    both = v[("amd64+arm64" + "(converted)", "p, cold")]
    assert not both.met and abs(both.value - 60 / 25) < 1e-9
    assert v[("converted" + "loop)", "p, arm64, edit")].met


def test_markdown_names_the_machine_and_what_was_verified():
    text = report.markdown(DATA)
    assert "test cpu, 2 CPUs" in text and "p ok" in text and "| missed |" in text


def test_docs_show_the_committed_results():
    # docs/benchmark.md and the README quote bench/results/heavy.json: a rerun that
    # changes a figure must update them (python bench/report.py prints the rows)
    with open(os.path.join(ROOT, "bench", "results", "heavy.json"), encoding="utf-8") as fh:
        data = json.load(fh)
    rows = [r for r in report.table(data) if r.startswith("| ") and not r.startswith("| project")]
    with open(os.path.join(ROOT, "docs", "benchmark.md"), encoding="utf-8") as fh:
        doc = fh.read()
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    assert rows and all(r in doc for r in rows)
    assert all(v.line() in doc for v in report.verdicts(data))
    quoted = [line for line in readme.splitlines() if line.startswith("| ") and " cold |" in line]
    assert quoted and all(line in rows for line in quoted)
