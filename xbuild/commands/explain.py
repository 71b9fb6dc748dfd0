"""``xbuild explain``: a rule's documentation, or where a Dockerfile runs emulated."""

from __future__ import annotations

from typing import Optional

import typer

from xbuild.app import app
from xbuild.commands import options as opt


@app.command()
def explain(
    topic: str = typer.Argument(..., help="A rule code (XB001) or a Dockerfile path."),
    platforms: opt.PlatformsOption = None,
    build_platform: Optional[str] = typer.Option(None, "--build-platform",
                                                 help="The builder's platform (default: this "
                                                      "machine's)."),
    target: opt.TargetOption = None,
    context: opt.ContextOption = None,
    no_context: opt.NoContextOption = False,
    helper: opt.HelperOption = None,
    config: opt.ConfigOption = None,
) -> None:
    """Print a rule's why/before/after (CODE), or, for a Dockerfile, which RUN steps run
    emulated per stage and target platform, before and after `xbuild convert`.

    Exit codes: 0 printed; 2 unknown rule code or bad option; 3 unreadable or
    unsupported input.
    """
    import re

    from xbuild.errors import UsageError

    if re.fullmatch(r"[Xx][Bb]\d{3}", topic):
        from xbuild.rules import BY_CODE

        rule = BY_CODE.get(topic.upper())
        if rule is None:
            raise UsageError(f"unknown rule {topic.upper()} (known: {', '.join(BY_CODE)})")
        from xbuild.docs import help_uri

        typer.echo(f"{rule.code} {rule.name}\n\n{rule.doc.strip()}\n\n{help_uri(rule)}")
        return
    typer.echo(_explain_file(topic, platforms, build_platform, target, context, helper, config,
                             no_context),
               nl=False)


def _explain_file(path: str, platforms: str | None, build_platform: str | None,
                  target: str | None, context: str | None, helper: str | None,
                  config: str | None, no_context: bool = False) -> str:
    from xbuild.convert import convert
    from xbuild.emulation import emulated_count, machine_platform, stage_runs
    from xbuild.errors import UsageError
    from xbuild.files import read_dockerfile
    from xbuild.runner import RunOptions, file_options
    from xbuild.settings import platforms_flag

    options, _ = file_options(path, RunOptions(target=target, context=context,
                                               platforms=platforms, helper=helper,
                                               config=config, no_context=no_context))
    if build_platform is not None:
        build = platforms_flag(build_platform, "--build-platform")
        if len(build) != 1:
            raise UsageError("--build-platform takes one platform")
        build_plat = build[0]
    else:
        build_plat = machine_platform()
    text = read_dockerfile(path)
    result = convert(text, path, options)
    lines = [f"{path}: build platform {build_plat}; target platforms "
             f"{', '.join(options.platforms)}",
             "(a RUN is emulated when its stage runs on a platform other than the build "
             "platform)", ""]
    totals: list[tuple[str, int, int, int]] = []
    for plat in options.platforms:
        before = stage_runs(text, plat, build_plat, options.target, path)
        after = stage_runs(result.text, plat, build_plat, options.target, path)
        totals.append((plat, emulated_count(before, build_plat), emulated_count(after, build_plat),
                       sum(len(s.runs) for s in before if s.built)))
        lines.append(f"{plat}:")
        for b, a in zip(before, after, strict=False):
            if not b.built:
                lines.append(f"  stage `{b.label}` (line {b.line}): not built for the "
                             "exported stage")
                continue
            lines.append(f"  stage `{b.label}` (line {b.line}): before on {b.runs_on}"
                         f"{' (emulated)' if b.emulated(build_plat) else ''}, after on "
                         f"{a.runs_on}{' (emulated)' if a.emulated(build_plat) else ''}")
            for (line, cmd), (_, _) in zip(b.runs, a.runs, strict=False):
                was = "emulated" if b.emulated(build_plat) else "native"
                now = "emulated" if a.emulated(build_plat) else "native"
                mark = "  " if was == now else "->"
                lines.append(f"    {mark} line {line}: RUN {cmd}  [{was} -> {now}]")
        lines.append("")
    lines.append("emulated RUN steps (before -> after):")
    for plat, n_before, n_after, n in totals:
        lines.append(f"  {plat}: {n_before} -> {n_after} of {n}")
    return "\n".join(lines) + "\n"
