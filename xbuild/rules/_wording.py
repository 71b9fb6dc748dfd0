"""How a finding reads: the problem, then its fix.

Each rewrite rule describes the edit it makes ("`cargo build` compiles for the target
triple"); a finding shown in a pull request must instead say what is wrong and what to
do. ``reword`` turns that description into this shape.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from xbuild.context import Fix
from xbuild.plan import Plans as Plans  # what every rule's check() receives

ON_BUILD = "once the stage runs on $BUILDPLATFORM"


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
