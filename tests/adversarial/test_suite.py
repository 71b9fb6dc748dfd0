"""The suite itself keeps the shape issue 10 asks for."""

from __future__ import annotations

from collections import Counter

from tests.adversarial.harness import HAZARDS, all_cases, known_failures

ALL = all_cases()


def test_at_least_100_cases_and_5_per_hazard() -> None:
    per = Counter(c.hazard for c in ALL)
    assert len(ALL) >= 100, len(ALL)
    assert all(per[h] >= 5 for h in HAZARDS), per


def test_ids_are_unique_across_files() -> None:
    dup = [i for i, n in Counter(c.id for c in ALL).items() if n > 1]
    assert not dup, dup


def test_issue_10_context_fixtures_are_there() -> None:
    ids = {c.id: c for c in ALL if c.files}
    for cid in ("ctx-makefile-plain-go-build", "ctx-makefile-hardcoded-goarch",
                "ctx-cgo-golang122-keeps-cgo"):
        assert cid in ids, cid
    assert ids["ctx-makefile-plain-go-build"].expect == "moved"
    assert ids["ctx-makefile-hardcoded-goarch"].expect == "refused"
    assert "CGO_ENABLED=0" in ids["ctx-cgo-golang122-keeps-cgo"].absent


def test_known_failures_name_real_cases() -> None:
    stale = set(known_failures()) - {c.id for c in ALL}
    assert not stale, f"known_failures.txt names cases that do not exist: {sorted(stale)}"
