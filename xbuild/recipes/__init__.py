"""Toolchain recipes: how a stage that compiles with one toolchain cross-compiles.

A recipe answers four questions about a stage (pure functions of the Context):

- ``detect``: does this stage compile with my toolchain?
- ``already_cross``: on $BUILDPLATFORM already, does it target $TARGET*?
- ``blockers``: reasons (line, text) it must not move to $BUILDPLATFORM;
- ``cross``: what it needs once it runs on the build platform (a ``CrossPlan``: the
  cross toolchain, what that installs, where its setup goes, the first instruction
  that needs the target ARGs).

The planner (xbuild.plan) decides per FROM-chain; recipes never decide moves and make
no edits: each rewrite is one rule's (xbuild/rules/), the detector and fixer of it.
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
