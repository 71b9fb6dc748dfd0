"""How a finding reads: the problem, then its fix.

The recipes (xbuild/recipes/) describe each edit they make ("`cargo build` compiles
for the target triple"); a finding shown in a pull request must instead say what is
wrong and what to do. ``reword`` turns a recipe's description into that shape for the
rules that pass recipe fixes through, so the recipes' texts stay theirs.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from xbuild.context import Fix
from xbuild.plan import Plans as Plans  # what every rule's check() receives

ON_BUILD = "once the stage runs on $BUILDPLATFORM"


def passthrough(plans: Plans, code: str) -> list[Fix]:
    """The fixes the stages' cross recipes made for ``code``."""
    return [f for p in plans.values() if p.cross is not None
            for f in p.cross.fixes if f.code == code]


def reword(fixes: Iterable[Fix], problem: str,
           patterns: tuple[tuple[str, str], ...] = ()) -> list[Fix]:
    """Each fix's message as "<problem>; <fix>". ``patterns`` are (regex, template)
    pairs tried first on the recipe's text: a match gives the whole message (its
    groups fill the template); otherwise the text becomes the fix after ``problem``."""
    out = []
    for f in fixes:
        text = f.message
        for regex, template in patterns:
            m = re.fullmatch(regex, text)
            if m is not None:
                text = m.expand(template)
                break
        else:
            text = f"{problem}; fix: {text}"
        out.append(dataclasses.replace(f, message=text))
    return out


def names(items: list[str]) -> str:
    """`a`, `b` and `c`."""
    quoted = [f"`{x}`" for x in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
