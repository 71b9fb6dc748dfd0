"""The pattern zoo on the rig (tests/e2e/zoo.py): for each hazard class, xbuild's own
conversion must be refused with its reason or proven equivalent by `xbuild prove`, and
a naive hand conversion must be caught (exit 5 naming the path, or the build failing).

A test here failing on xbuild's own conversion is an analysis bug (a stage moved that
ships build-machine code): the test is the evidence, not something to relax.
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from tests.e2e.examples import EXAMPLES, PLATFORMS, rig_contexts
from tests.e2e.test_e2e import network_for, tail, xbuild
from tests.e2e.zoo import CASES, Case, naive
from xbuild.convert import convert
from xbuild.files import read_dockerfile
from xbuild.result import Options

pytestmark = pytest.mark.e2e
IDS = [c.name for c in CASES]


def have_image(name: str) -> bool:
    return subprocess.run(["docker", "image", "inspect", name], capture_output=True).returncode == 0


def prove(case: Case, *args: str, texts: tuple[str, ...]):
    if case.needs and not have_image(case.needs):
        pytest.skip(f"the rig has no {case.needs} image (no registry to pull it from): not built, not faked")
    buildx = ["--progress=plain", network_for("".join(texts)), *rig_contexts(texts[0])]
    smoke = ("--smoke", case.smoke) if case.smoke else ()
    t = time.monotonic()
    p = xbuild("prove", case.path, "--platform", ",".join(PLATFORMS), *smoke, *args, "--", *buildx, timeout=1800)
    print(f"{case.name} {' '.join(args) or 'xbuild'}: exit {p.returncode} in {time.monotonic() - t:.1f} s")
    print(p.stdout)
    return p


def original(case: Case) -> str:
    return read_dockerfile(os.path.join(case.path, "Dockerfile"))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_xbuild_conversion_is_refused_or_proven(rig, case: Case):
    text = original(case)
    result = convert(text, os.path.join(case.path, "Dockerfile"), Options(platforms=PLATFORMS, context=case.path))
    p = prove(case, texts=(text, result.text))
    report = "\n".join(f"{s.name}: {s.action}: {'; '.join(s.reasons)}" for s in result.stages)
    assert p.returncode == 0, (f"xbuild's conversion of {case.name} ({case.hazard}) is not equivalent to the "
                               f"original (analysis bug):\n{report}\n{p.stdout}{tail(p, 8)}")
    if case.xbuild == "refused":
        assert case.reason in p.stderr and ": refused: " in p.stderr, \
            f"{case.name}: expected a refusal naming {case.reason!r}:\n{report}"
    else:
        assert result.changed and "nothing to prove" not in p.stderr, f"{case.name}: expected a move:\n{report}"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_naive_conversion_is_caught(rig, case: Case, tmp_path):
    text = original(case)
    hand = tmp_path / "Dockerfile.naive"
    hand.write_text(naive(text))
    p = prove(case, "--converted", str(hand), texts=(text, hand.read_text()))
    assert p.returncode == case.naive_exit, f"{case.name}: naive conversion: exit {p.returncode}\n" \
                                            f"{p.stdout}{tail(p, 8)}"
    if case.naive_exit == 5:
        assert case.naive_path in p.stdout, p.stdout
    elif case.naive_exit == 4:
        last = p.stderr.strip().splitlines()[-1]
        assert last.startswith("xbuild: ") and "the converted build failed" in last
        assert case.naive_path in p.stderr, tail(p, 30)


def test_prove_hello_go_example(rig):
    """Issue 11's done-when: the converted hello-go ships what the emulated one ships."""
    ex = EXAMPLES[0]
    p = xbuild("prove", ex.path, "--", "--progress=plain", "--network=none", *ex.context_args(), timeout=1800)
    assert p.returncode == 0, p.stdout + tail(p)
    rows = [line.split() for line in p.stdout.splitlines()]
    assert rows[0] == ["platform", "files", "ELF", "differences", "result"]
    assert [r[0] for r in rows[1:3]] == list(PLATFORMS) and all(r[-1] == "equivalent" for r in rows[1:3])
