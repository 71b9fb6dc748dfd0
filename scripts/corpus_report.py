"""Print each corpus Dockerfile's outcome: changed / unchanged / refused, with reasons.

    python scripts/corpus_report.py [../shared/corpus]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from xbuild.convert import convert
from xbuild.errors import XBuildError
from xbuild.files import read_dockerfile
from xbuild.result import REFUSED


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "corpus")
    totals: Counter[str] = Counter()
    for path in sorted(p for p in root.glob("*/*") if p.suffix not in (".md", ".tsv")):
        try:
            result = convert(read_dockerfile(str(path)), str(path))
        except XBuildError as err:
            print(f"error     {path.parent.name}/{path.name}: {err}")
            totals["error"] += 1
            continue
        refused = [s for s in result.stages if s.action == REFUSED]
        outcome = "changed" if result.changed else ("refused" if refused else "unchanged")
        totals[outcome] += 1
        moved = ", ".join(f"{s.name}:{s.action}" for s in result.stages
                          if s.action in ("moved", "rewritten", "already"))
        print(f"{outcome:9} {path.parent.name}/{path.name}" + (f"  [{moved}]" if moved else ""))
        for s in refused:
            for r in s.reasons[:2]:
                print(f"          refused `{s.name}`: {r}")
    print("totals: " + ", ".join(f"{k} {v}" for k, v in sorted(totals.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
