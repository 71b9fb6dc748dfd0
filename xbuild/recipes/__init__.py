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

from xbuild.recipes.base import CrossPlan, Recipe

__all__ = ["CrossPlan", "Recipe", "recipes"]


def recipes() -> tuple[Recipe, ...]:
    """The recipes in the order they are tried (first match wins)."""
    from xbuild.recipes.c import C
    from xbuild.recipes.go import GO
    from xbuild.recipes.rust import RUST

    return (GO, RUST, C)
