"""Everything a recipe or rule may read about one Dockerfile, computed once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property

from xbuild.analysis import StageFacts, all_facts, chain_env
from xbuild.graph import Graph, build_graph
from xbuild.model import Dockerfile, Instruction, parse
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

    def finding(self, label: str | None) -> Finding:
        return Finding(self.code, self.line, self.message, label, fixed=bool(self.edits),
                       severity=self.severity, edits=self.edits)


@dataclass
class Context:
    df: Dockerfile
    graph: Graph
    facts: dict[int, StageFacts]
    options: Options
    # filled by the planner: stage index -> StagePlan
    plans: dict = field(default_factory=dict)

    @classmethod
    def from_text(cls, text: str, path: str, options: Options) -> "Context":
        df = parse(text, path)
        graph = build_graph(df, options.target)
        return cls(df, graph, all_facts(df), options)

    def env(self, index: int) -> dict[str, str | None]:
        return chain_env(self.graph, self.facts, index)

    @cached_property
    def project(self) -> "ProjectFacts":
        return ProjectFacts.scan(self.options.context)

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
    """What the build context tells (optional; the Dockerfile alone must suffice)."""

    root: str | None = None
    go_cgo: bool | None = None  # None: unknown (no context)
    go_cgo_why: str = ""

    # Go modules that only work with cgo (a CGO_ENABLED=0 build compiles but fails at run time).
    CGO_ONLY_MODULES = ("github.com/mattn/go-sqlite3", "github.com/google/gopacket/pcap",
                        "github.com/miekg/pkcs11", "github.com/confluentinc/confluent-kafka-go")

    @classmethod
    def scan(cls, root: str | None) -> "ProjectFacts":
        facts = cls(root=root)
        if not root or not os.path.isdir(root):
            return facts
        gomod = os.path.join(root, "go.mod")
        if os.path.exists(gomod):
            facts.go_cgo = False
            try:
                mod = open(gomod, encoding="utf-8", errors="replace").read()
            except OSError:
                mod = ""
            for m in cls.CGO_ONLY_MODULES:
                if m in mod:
                    facts.go_cgo, facts.go_cgo_why = True, f"go.mod requires {m} (cgo only)"
                    return facts
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in
                               ("vendor", "node_modules", "testdata")]
                for fn in filenames:
                    if fn.endswith(".go") and not fn.endswith("_test.go"):
                        p = os.path.join(dirpath, fn)
                        try:
                            src = open(p, encoding="utf-8", errors="replace").read()
                        except OSError:
                            continue
                        if 'import "C"' in src:
                            facts.go_cgo = True
                            facts.go_cgo_why = f"{os.path.relpath(p, root)} has import \"C\""
                            return facts
        return facts
