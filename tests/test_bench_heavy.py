"""bench/heavy.py: the order its builds run in (the builds themselves need the rig)."""

from __future__ import annotations

import importlib.util
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location("bench_heavy", os.path.join(ROOT, "bench", "heavy.py"))
assert _spec and _spec.loader
heavy = importlib.util.module_from_spec(_spec)
sys.modules["bench_heavy"] = heavy
_spec.loader.exec_module(heavy)


def test_each_variant_runs_its_count():
    order = list(heavy.rounds(["emulated", "converted", "hand"], {"emulated": 1, "converted": 3, "hand": 3}))
    assert order.count("emulated") == 1
    assert order.count("converted") == 3
    assert order.count("hand") == 3


def test_no_variant_always_runs_first():
    # converted before hand in every round would charge the first-build warm-up to one side
    order = list(heavy.rounds(["emulated", "converted", "hand"], {"emulated": 1, "converted": 3, "hand": 3}))
    assert order[:3] == ["emulated", "converted", "hand"]
    rest = order[3:]
    assert [rest[i:i + 2] for i in range(0, len(rest), 2)] == [["hand", "converted"], ["converted", "hand"]]


def test_one_variant_runs_alone():
    assert list(heavy.rounds(["converted"], {"converted": 3})) == ["converted"] * 3
    assert list(heavy.rounds([], {})) == []
