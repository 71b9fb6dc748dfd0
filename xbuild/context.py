"""Everything a recipe or rule may read about one Dockerfile, computed once."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from xbuild import evidence
from xbuild.analysis import StageFacts, all_facts, chain_env
from xbuild.buildcontext import BuildContext
from xbuild.graph import Graph, build_graph
from xbuild.model import Dockerfile, Instruction, parse
from xbuild.provenance import context_dir, context_silence
from xbuild.result import Edit, Finding, Options


@dataclass(frozen=True)
class Fix:
    """A finding and the edits that repair it (none: report only)."""

    code: str
    line: int
    message: str
    stage: int | None = None
    edits: tuple[Edit, ...] = ()
    severity: str = "warning"

    def finding(self, label: str | None, span: tuple[int, int, int, int] | None = None) -> Finding:
        return Finding(self.code, self.line, self.message, label, fixed=bool(self.edits),
                       severity=self.severity, edits=self.edits, span=span)


@dataclass
class Context:
    df: Dockerfile
    graph: Graph
    facts: dict[int, StageFacts]
    options: Options

    @classmethod
    def from_text(cls, text: str, path: str, options: Options) -> Context:
        df = parse(text, path)
        graph = build_graph(df, options.target)
        return cls(df, graph, all_facts(df), options)

    def env(self, index: int) -> dict[str, str | None]:
        return chain_env(self.graph, self.facts, index)

    @cached_property
    def project(self) -> ProjectFacts:
        return ProjectFacts.scan(self.options.context, self.df.path)

    def project_at(self, index: int, ins: Instruction) -> ProjectFacts:
        """``project`` when the build context can speak for what ``ins`` (in stage
        ``index``) builds; "cannot tell" (no view) when the stage fetches its sources
        during the build (``xbuild.provenance``)."""
        if self.options.context and context_silence(self.df, self.graph, index, ins) is None:
            return self.project
        return ProjectFacts()

    def context_dir(self, index: int, ins: Instruction) -> str | None:
        """The build-context folder ``ins`` runs in ("" the root), when the stage copied
        it there (``xbuild.provenance.context_dir``); None when it cannot be told."""
        project = self.project_at(index, ins)
        if project.view is None:
            return None
        return context_dir(self.df, self.graph, index, ins, project.view)

    def keyword(self, word: str) -> str:
        """``word`` in the file's keyword casing (all-lowercase files get lowercase)."""
        return word.lower() if self._lowercase_keywords else word.upper()

    @cached_property
    def _lowercase_keywords(self) -> bool:
        # computed once: keyword() is called per inserted line
        kws = [i.keyword for i in self.df.instructions]
        return bool(kws) and all(k == k.lower() for k in kws)

    def insert_before(self, ins: Instruction, line_text: str, code: str, order: int = 0) -> Edit:
        """An edit inserting a whole line before ``ins`` (and before the comment
        lines directly above it, so a comment stays with the step it describes)."""
        df = self.df
        start = df.line_start(ins.start)
        indent = df.text[start:ins.start]
        while start > 0:
            prev = df.line_start(start - 1)
            content = df.text[prev:start].strip()
            if not content.startswith("#") or self._is_directive_zone(prev):
                break
            start = prev
        return Edit(start, start, indent + line_text + df.newline, code, order)

    def _is_directive_zone(self, offset: int) -> bool:
        return offset < self.df.instructions[0].start


@dataclass
class ProjectFacts:
    """What the build context tells (optional; the Dockerfile alone must suffice).

    ``view`` is None when there is no context (``--no-context``, standard input,
    a folder that is not a project: see ``xbuild.buildcontext.default_context``).
    Every answer comes from ``xbuild.evidence``; None means "cannot tell".
    """

    root: str | None = None
    view: BuildContext | None = None
    go_cgo: bool | None = None  # None: unknown (no context, no go.mod, or a partial view)
    go_cgo_why: str = ""

    @classmethod
    def scan(cls, root: str | None, dockerfile: str | None = None) -> ProjectFacts:
        if not root or not os.path.isdir(root):
            return cls(root=root)
        view = BuildContext.open(root, dockerfile)
        facts = cls(root=root, view=view)
        cgo = evidence.go_cgo(view)
        if cgo is not None:
            facts.go_cgo = bool(cgo)
            facts.go_cgo_why = _cgo_why(cgo[0]) if cgo else ""
        return facts

    @cached_property
    def go_cgo_default(self) -> str:
        """Why Go's default (cgo on when a C compiler exists) would change this program
        even without ``import "C"``: the standard library's net and os/user use cgo then
        (a dynamically linked binary), and any dependency may import them. "" when the
        view shows a module with no requirements whose sources import neither."""
        view = self.view
        if view is None:
            return "no build context"
        for gomod in view.named("go.mod"):
            text = view.read(gomod) or ""
            if re.search(r"^\s*require\b", text, re.M):
                return f"{gomod} has dependencies, which may import net or os/user"
        for path in view.with_suffix(".go"):
            if path.endswith("_test.go"):
                continue
            src = view.read(path) or ""
            m = re.search(r'"(net|net/[a-z/]+|os/user)"', src)
            if m:
                return f"{path} imports {m.group(1)}, which links the C library through cgo"
        return ""

    @cached_property
    def rust_sys(self) -> tuple[evidence.SysCrate, ...] | None:
        """Crates that need target C parts (``-dev`` packages, a C cross compiler)."""
        return evidence.rust_sys(self.view) if self.view is not None else None

    @cached_property
    def npm_native(self) -> tuple[evidence.NpmNative, ...] | None:
        """Native npm addons and per-platform binary packages."""
        return evidence.npm_native(self.view) if self.view is not None else None

    def make_recipe(self, target: str | None = None, **kw: Any) -> evidence.Recipe:
        """What ``make [target]`` runs (see ``xbuild.evidence.make.make_recipe``)."""
        if self.view is None:
            return evidence.Recipe(None, target, unknown="no build context")
        return evidence.make_recipe(self.view, target, **kw)

    def script_text(self, path: str) -> str | None:
        """A script's text, when it is in the build context."""
        return evidence.script_text(self.view, path) if self.view is not None else None

    def build_env(self, recipe: evidence.Recipe | list[str] | tuple[str, ...],
                  lang: str) -> evidence.BuildEnv:
        """Does ``recipe`` pass GOOS/GOARCH/... (or CARGO_BUILD_TARGET/CC) through?"""
        return evidence.classify_recipe(recipe, lang, self.view)


def _cgo_why(ev: evidence.Evidence) -> str:
    if ev.what == 'import "C"':
        return f'{ev.file} has import "C"'
    return f"{ev.file} {ev.what}"
