"""What a recipe is (the ``Recipe`` protocol) and what it hands the planner (``CrossPlan``).

Below every recipe, ``xbuild.toolchain`` and the planner: they all import these two
types from here, so no recipe module needs the registry in ``xbuild.recipes``.
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

    fixes: list[Fix] = field(default_factory=list)
    # the first instruction that must see the target ARGs, and which ARGs
    first_target_use: Instruction | None = None
    target_args: tuple[str, ...] = ("TARGETOS", "TARGETARCH", "TARGETVARIANT")


class Recipe(Protocol):
    name: str

    def detect(self, ctx: Context, index: int) -> bool: ...

    def already_cross(self, ctx: Context, index: int) -> bool: ...

    def blockers(self, ctx: Context, index: int) -> list[tuple[int, str]]: ...

    def cross(self, ctx: Context, index: int) -> CrossPlan: ...
