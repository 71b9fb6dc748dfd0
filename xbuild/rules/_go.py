"""The go steps XB003 and XB004 rewrite: the Go recipe's, in stages the planner moves."""

from __future__ import annotations

from xbuild.analysis import Step
from xbuild.context import Context
from xbuild.recipes.go import GO
from xbuild.rules._wording import Plans


def go_rewrites(ctx: Context, plans: Plans) -> list[tuple[int, Step]]:
    """(stage, step) of each go build the Go recipe cross-compiles in a rewritten or moved
    stage (``GoRecipe.target_steps``), in stage and step order."""
    return [(i, step) for i, p in plans.items() if p.cross is not None and p.recipe is GO
            for step in GO.target_steps(ctx, i)]
