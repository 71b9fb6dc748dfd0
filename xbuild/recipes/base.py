"""What a recipe is (the ``Recipe`` protocol) and what it hands the planner (``CrossPlan``,
with the ``Toolchain`` it chose).

Below every recipe, ``xbuild.toolchain`` and the planner: they all import these two
types from here, so no recipe module needs the registry in ``xbuild.recipes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from xbuild.context import Context, Fix
    from xbuild.crossmap import Needs
    from xbuild.model import Instruction


@dataclass
class Toolchain:
    distro: str  # debian | ubuntu | alpine | unknown
    helper: str  # native | xx
    reasons: list[tuple[int, str]] = field(default_factory=list)  # blockers
    image: str = ""

    @property
    def ok(self) -> bool:
        return not self.reasons


@dataclass
class CrossPlan:
    """What a recipe needs done in one stage."""

    # reports without edits (no cross toolchain fits, said on the FROM line); every
    # edit is a rule's (xbuild/rules/), made from this plan
    findings: list[Fix] = field(default_factory=list)
    # the first instruction that must see the target ARGs, and which ARGs
    first_target_use: Instruction | None = None
    target_args: tuple[str, ...] = ("TARGETOS", "TARGETARCH", "TARGETVARIANT")
    # the cross C toolchain chosen for the stage (xbuild.toolchain), when it needs one
    toolchain: Toolchain | None = None
    # what the toolchain setup installs and maps (set once the toolchain is settled:
    # rules XB021 and XB022 rewrite only such stages)
    needs: Needs | None = None
    # where rule XB021 inserts the setup: None when the stage (or an ancestor) has one
    setup_at: Instruction | None = None


class Recipe(Protocol):
    name: str

    def detect(self, ctx: Context, index: int) -> bool: ...

    def already_cross(self, ctx: Context, index: int) -> bool: ...

    def blockers(self, ctx: Context, index: int) -> list[tuple[int, str]]: ...

    def cross(self, ctx: Context, index: int) -> CrossPlan: ...
