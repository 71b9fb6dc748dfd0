"""What a build context proves, as pure functions over a ``BuildContext``.

Each function answers one question the analysis asks about a project (does the
Go code need cgo? which ``-sys`` crates need a target ``-dev`` package? does a
make target pass GOARCH through?) and returns the *file that shows it*, so a
report can say why. ``None`` means "cannot tell" (no such project in the view,
or the view is partial and the answer was not found); an empty tuple means
"looked everywhere, nothing". Nothing here reads outside the ``BuildContext``.
"""

from __future__ import annotations

from xbuild.evidence.base import Evidence
from xbuild.evidence.classify import BuildEnv, classify_recipe
from xbuild.evidence.go import go_cgo
from xbuild.evidence.make import Recipe, make_recipe, script_text
from xbuild.evidence.npm import NpmNative, npm_native
from xbuild.evidence.rust import SysCrate, rust_sys

__all__ = ["BuildEnv", "Evidence", "NpmNative", "Recipe", "SysCrate", "classify_recipe",
           "go_cgo", "make_recipe", "npm_native", "rust_sys", "script_text"]
