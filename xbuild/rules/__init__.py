"""The rule registry: one module per rule, one ordered tuple.

Each rule module defines ``CODE``, ``NAME``, a docstring (why / before / after:
what ``xbuild explain CODE`` prints and the README lists) and
``check(ctx, plans) -> Iterable[Fix]``. A rule never raises for "can't do this
safely": it returns a Fix without edits (a finding) that says why.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Protocol

from xbuild.context import Context, Fix
from xbuild.rules._wording import Plans


class Check(Protocol):
    """What every rule module's ``check`` is."""

    def __call__(self, ctx: Context, plans: Plans, /) -> Iterable[Fix]: ...


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    doc: str
    check: Check

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


def _rule(mod: ModuleType) -> Rule:
    return Rule(mod.CODE, mod.NAME, mod.__doc__ or "", mod.check)


# The order rules run in, and the order the README and SARIF list them.
MODULES: tuple[str, ...] = (
    "xb001_build_platform",
    "xb002_target_args",
    "xb003_go_target_env",
    "xb004_go_install_dir",
    "xb005_target_arg_default",
    "xb006_constant_platform",
    "xb007_redundant_target_platform",
    "xb008_emulated_compile",
    "xb020_rust_target",
    "xb021_cross_toolchain",
    "xb022_cache_per_platform",
    "xb023_c_cross",
    "xb024_cgo_cross",
    "xb040_undeclared_target_arg",
    "xb041_cache_mount_per_platform",
    "xb042_glibc_binary_musl_runtime",
)

REGISTRY: tuple[Rule, ...] = tuple(
    _rule(importlib.import_module(f"{__name__}.{m}")) for m in MODULES)

BY_CODE = {r.code: r for r in REGISTRY}
