"""``xbuild prove``, the part that runs things: two buildx builds, then the comparison.

The original Dockerfile (emulated, as the user builds it today) and the converted
one (xbuild's conversion, or ``--converted FILE``) are built for every platform,
each in one ``docker buildx build`` exporting a local OCI layout
(``--output type=oci,dest=DIR,tar=false``) into a private temporary folder outside
the build context; nothing is pushed, loaded or tagged, and the folder is removed
at the end whatever happens. Arguments after ``--`` go to both builds. With
``--smoke`` both results are also stored as images under throwaway names, the
command runs in each platform's container (under QEMU where needed) and the
images are removed again.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from xbuild.build import make_temp_dir, resolve_paths, write_converted
from xbuild.buildx import BuildRequest, build_argv, failure_summary, validate_platforms
from xbuild.errors import EXIT_BUILD, EXIT_VERIFY, UsageError, XBuildError
from xbuild.files import read_dockerfile
from xbuild.platforms import lookup
from xbuild.prove import Comparison, Problem, compare, render_json, render_text
from xbuild.registry import LayoutSource
from xbuild.stream import stream
from xbuild.verify import PlatformReport, image_entries, platform_filesystem

# BuildKit's plain progress names the failing step as " > [linux/arm64 build 3/5] RUN make:"
_STEP = re.compile(r"^\s*> \[(?P<step>[^\]]+)\] (?P<cmd>.*?):?\s*$")


@dataclass(frozen=True)
class Side:
    label: str  # original | converted
    dockerfile: str


def failing_step(tail: list[str]) -> str | None:
    """``[linux/arm64 build 3/5] RUN make`` from buildx's last lines, when it printed one."""
    for line in reversed(tail):
        m = _STEP.match(line)
        if m:
            return f"[{m.group('step')}] {m.group('cmd')}"
    return None


def oci_output(dest: str) -> str:
    if "," in dest or '"' in dest:
        raise XBuildError("the temporary folder's path holds a comma or quote, which buildx's --output "
                          "cannot carry; set TMPDIR to a plain path", path=dest, exit_code=EXIT_BUILD)
    return f"type=oci,dest={dest},tar=false"


def build_side(side: Side, context: str, platforms: tuple[str, ...], target: str | None,
               extra: tuple[str, ...], output: str, docker: str) -> None:
    req = BuildRequest(dockerfile=side.dockerfile, context=context, platforms=platforms, output=output,
                       target=target, extra=extra, docker=docker)
    argv = build_argv(req)
    how = "emulated, as written" if side.label == "original" else "the rewrite"
    print(f"xbuild: prove: building the {side.label} ({how}): {shlex.join(argv)}", file=sys.stderr, flush=True)
    rc, tail = stream(argv)
    if rc != 0:
        step = failing_step(tail)
        why = failure_summary(tail, rc).removeprefix("docker buildx build failed: ")
        at = f" at {step}" if step else ""
        raise XBuildError(f"the {side.label} build failed{at}: {why}", path=side.dockerfile, exit_code=EXIT_BUILD)


def compare_layouts(original: str, converted: str, platforms: tuple[str, ...],
                    exclude: tuple[str, ...]) -> list[Comparison]:
    src_a, src_b = LayoutSource(original), LayoutSource(converted)
    entries_a, entries_b = image_entries(src_a), image_entries(src_b)
    cache: dict[str, Any] = {}  # layer digest -> operations: the base layers both images share are read once
    results = []
    for name in platforms:
        ra, rb = PlatformReport(name), PlatformReport(name)
        fs_a = platform_filesystem(src_a, entries_a, name, ra, cache)
        fs_b = platform_filesystem(src_b, entries_b, name, rb, cache)
        if fs_a is None or fs_b is None or ra.problems or rb.problems:
            res = Comparison(platform=name)
            res.problems += [Problem("/", "platform", f"original: {p}") for p in ra.problems]
            res.problems += [Problem("/", "platform", f"converted: {p}") for p in rb.problems]
            if fs_a is not None and fs_b is not None:
                more = compare(fs_a, fs_b, lookup(name), exclude)
                res.files, res.elf = more.files, more.elf
                res.problems += more.problems
            results.append(res)
            continue
        results.append(compare(fs_a, fs_b, lookup(name), exclude))
    return results


def smoke_test(sides: list[Side], context: str, platforms: tuple[str, ...], target: str | None,
               extra: tuple[str, ...], command: str, docker: str) -> list[Comparison]:
    """Run ``command`` in each side's image per platform; a differing output or status is a problem."""
    argv_cmd = shlex.split(command)
    if not argv_cmd:
        raise UsageError("--smoke: empty command")
    name = f"xbuild-prove-{secrets.token_hex(6)}"
    refs = {s.label: f"{name}:{s.label}" for s in sides}
    results = {p: Comparison(platform=p) for p in platforms}
    try:
        for side in sides:  # cached: the layers were built a moment ago
            build_side(side, context, platforms, target, extra, f"type=image,name={refs[side.label]}", docker)
        for p in platforms:
            seen = {}
            for side in sides:
                run = [docker, "run", "--rm", "--network=none", "--pull=never", "--platform", p,
                       refs[side.label], *argv_cmd]
                proc = subprocess.run(run, capture_output=True, stdin=subprocess.DEVNULL, timeout=600)
                seen[side.label] = (proc.returncode, proc.stdout, proc.stderr)
            (rc_a, out_a, _), (rc_b, out_b, err_b) = seen["original"], seen["converted"]
            if (rc_a, out_a) != (rc_b, out_b):
                got = out_b.decode("utf-8", "replace").strip()[:200] or err_b.decode("utf-8", "replace").strip()[:200]
                results[p].problems.append(Problem(
                    command, "smoke", f"exit {rc_b} printing {got!r}; the original exits {rc_a} printing "
                    f"{out_a.decode('utf-8', 'replace').strip()[:200]!r}"))
            else:
                results[p].notes.append(f"smoke {command!r}: same output and exit status {rc_a}")
    finally:
        subprocess.run([docker, "image", "rm", "--force", *refs.values()], capture_output=True,
                       stdin=subprocess.DEVNULL)
    return [results[p] for p in platforms]


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run_prove(*, path: str | None, converted: str | None, platform: str | None, target: str | None,
              fmt: str, smoke: str | None, exclude: tuple[str, ...], extra: tuple[str, ...],
              docker: str = "docker") -> int:
    from xbuild.convert import convert
    from xbuild.runner import RunOptions, file_options

    if fmt not in ("text", "json"):
        raise UsageError(f"invalid value {fmt!r} for --format (expected text or json)")
    if platform is not None:
        validate_platforms(platform)  # the flag's own error, before anything is read
    dockerfile, context = resolve_paths(path, None)
    # the config's platforms, helper and ignored codes apply, as on every command
    options, _ = file_options(dockerfile, RunOptions(target=target, context=context,
                                                     platforms=platform))
    platforms = options.platforms
    BuildRequest(dockerfile=dockerfile, context=context, platforms=platforms, target=target, extra=extra,
                 docker=docker)  # every flag checked before anything runs
    text = read_dockerfile(dockerfile)
    converted_text = None
    if converted is not None:
        read_dockerfile(converted)  # exists and is readable: a one-line error otherwise
    else:
        result = convert(text, dockerfile, options)
        for st in result.stages:
            for reason in st.reasons:
                print(f"xbuild: prove: stage {st.name}: {st.action}: {reason}", file=sys.stderr)
        if not result.changed:
            print(f"xbuild: prove: {dockerfile}: xbuild leaves it unchanged; nothing to prove", file=sys.stderr)
            return 0
        converted_text = result.text
    if shutil.which(docker) is None:
        raise XBuildError(f"{docker!r} not found on PATH; is Docker installed? "
                          "(`xbuild doctor` checks the setup)", exit_code=EXIT_BUILD)
    tmpdir = make_temp_dir(context)
    # a TERM (a CI timeout) unwinds like Ctrl-C: buildx is stopped and the folder removed
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        conv = converted if converted_text is None else write_converted(dockerfile, converted_text, tmpdir)
        assert conv is not None  # one of --converted and the conversion is given
        sides = [Side("original", dockerfile), Side("converted", conv)]
        for side in sides:
            build_side(side, context, platforms, target, extra, oci_output(os.path.join(tmpdir, side.label)),
                       docker)
        results = compare_layouts(os.path.join(tmpdir, "original"), os.path.join(tmpdir, "converted"),
                                  platforms, exclude)
        if smoke is not None:
            for res, sm in zip(results, smoke_test(sides, context, platforms, target, extra, smoke, docker), strict=False):
                res.problems += sm.problems
                res.notes += sm.notes
    finally:
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(tmpdir, ignore_errors=True)
    shown = converted if converted is not None else f"{dockerfile} (converted by xbuild)"
    sys.stdout.write(render_json(results, dockerfile, shown) if fmt == "json" else render_text(results))
    return 0 if all(r.equivalent for r in results) else EXIT_VERIFY
