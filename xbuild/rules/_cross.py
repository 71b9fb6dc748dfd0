"""The stages XB021-XB024 rewrite: those whose recipe settled a cross toolchain
(``xbuild.toolchain.finish_cross``), with the toolchain and what it installs."""

from __future__ import annotations

from collections.abc import Iterator

from xbuild.crossmap import Needs
from xbuild.recipes.base import CrossPlan, Toolchain
from xbuild.rules._wording import Plans


def settled(plans: Plans, lang: str | None = None) -> Iterator[tuple[int, CrossPlan, Toolchain, Needs]]:
    """(stage, plan, toolchain, needs) of each such stage; ``lang``: only rust, c or cgo."""
    for index, p in plans.items():
        c = p.cross
        if c is None or c.toolchain is None or c.needs is None:
            continue
        if lang is None or c.needs.lang == lang:
            yield index, c, c.toolchain, c.needs
