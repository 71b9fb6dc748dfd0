"""Toolchain recipes: how a stage that compiles with one toolchain cross-compiles.

A recipe answers four questions about a stage (pure functions of the Context):

- ``detect``: does this stage compile with my toolchain?
- ``already_cross``: on $BUILDPLATFORM already, does it target $TARGET*?
- ``blockers``: reasons (line, text) it must not move to $BUILDPLATFORM;
- ``fixes``: the edits that make it compile for the target once it runs on
  the build platform, and the first instruction that needs the target ARGs.

The planner (xbuild.plan) decides per FROM-chain; recipes never decide moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from xbuild.context import Context, Fix
    from xbuild.model import Instruction


@dataclass
class CrossPlan:
    """What a recipe needs done in one stage."""

    fixes: list["Fix"] = field(default_factory=list)
    # the first instruction that must see the target ARGs, and which ARGs
    first_target_use: "Instruction | None" = None
    target_args: tuple[str, ...] = ("TARGETOS", "TARGETARCH", "TARGETVARIANT")


class Recipe(Protocol):
    name: str

    def detect(self, ctx: "Context", index: int) -> bool: ...

    def already_cross(self, ctx: "Context", index: int) -> bool: ...

    def blockers(self, ctx: "Context", index: int) -> list[tuple[int, str]]: ...

    def cross(self, ctx: "Context", index: int) -> CrossPlan: ...


def recipes() -> tuple[Recipe, ...]:
    """The recipes in the order they are tried (first match wins)."""
    from xbuild.recipes.c import C
    from xbuild.recipes.go import GO
    from xbuild.recipes.rust import RUST

    return (GO, RUST, C)
