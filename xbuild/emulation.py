"""Where the time goes: which RUN steps execute under emulation, per target platform.

A RUN executes under emulation (QEMU via binfmt_misc) when its stage runs on a
platform other than the build machine's. A stage runs on its FROM chain root's
``--platform`` (``$BUILDPLATFORM``: the build platform; a constant: that
platform; none or ``$TARGETPLATFORM``: the target), and only stages the exported
stage needs are built at all. Pure functions of the text; the command compares
the original with ``xbuild convert``'s output.
"""

from __future__ import annotations

from dataclasses import dataclass

from xbuild.graph import Graph, build_graph
from xbuild.model import parse
from xbuild.platforms import lookup

# platform.machine() spellings -> OCI platform
MACHINES = {"x86_64": "linux/amd64", "amd64": "linux/amd64", "aarch64": "linux/arm64",
            "arm64": "linux/arm64", "armv7l": "linux/arm/v7", "armv6l": "linux/arm/v6",
            "i686": "linux/386", "i386": "linux/386", "ppc64le": "linux/ppc64le",
            "s390x": "linux/s390x", "riscv64": "linux/riscv64"}


def machine_platform() -> str:
    import platform

    return MACHINES.get(platform.machine().lower(), "linux/amd64")


@dataclass(frozen=True)
class StageRuns:
    index: int
    label: str
    line: int
    built: bool  # the exported stage needs it (BuildKit skips the others)
    runs_on: str  # the platform its steps execute on, canonical name
    runs: tuple[tuple[int, str], ...]  # (line, command) of each RUN

    def emulated(self, build_platform: str) -> bool:
        return self.built and bool(self.runs) and not same_platform(self.runs_on, build_platform)


def same_platform(a: str, b: str) -> bool:
    try:
        return lookup(a).name == lookup(b).name
    except KeyError:
        return a == b


def stage_platform(graph: Graph, index: int, target: str, build: str) -> str:
    if graph.on_build_platform(index):
        return build
    plat = graph.df.stages[graph.root(index)].platform
    if plat is None or "TARGETPLATFORM" in plat:
        return target
    try:
        return lookup(plat).name
    except KeyError:
        return target  # a variable we cannot resolve: assume the default


def stage_runs(text: str, target_platform: str, build_platform: str,
               target: str | None = None, path: str = "<stdin>") -> list[StageRuns]:
    df = parse(text, path)
    graph = build_graph(df, target)
    out = []
    for st in df.stages:
        runs = tuple((ins.line, _short(ins.rest)) for ins in st.instructions if ins.cmd == "RUN")
        out.append(StageRuns(st.index, st.label, st.from_.line, st.index in graph.feeds,
                             stage_platform(graph, st.index, target_platform, build_platform),
                             runs))
    return out


def emulated_count(stages: list[StageRuns], build_platform: str) -> int:
    return sum(len(s.runs) for s in stages if s.emulated(build_platform))


def _short(command: str, width: int = 60) -> str:
    one = " ".join(command.split())
    return one if len(one) <= width else one[: width - 3] + "..."
