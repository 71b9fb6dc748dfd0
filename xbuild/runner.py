"""The one way from command-line PATHs to conversion results, shared by every command.

``run_paths`` owns what each command used to repeat (and let drift): which files
(``xbuild.discover`` when asked), which settings (``xbuild.config``, found per file or
``--config``), the ``Options`` (``xbuild.settings.make_options``: flags win), the
conversion, and what an error does: a usage error (exit 2) stops everything; any other
is printed as one line at once, the remaining files still run, and the ``Report``'s
exit code is the worst of them. ``file_options`` is the same settings step for the
commands that take one Dockerfile (explain, doctor, build, ci).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from xbuild.errors import EXIT_USAGE, XBuildError
from xbuild.result import Options, Result


@dataclass(frozen=True)
class RunOptions:
    """The flags every converting command shares; None: not given (the config decides)."""

    target: str | None = None
    context: str | None = None
    no_context: bool = False
    platforms: str | None = None
    helper: str | None = None
    ignore: str | None = None
    config: str | None = None  # --config: this file instead of searching
    discover: bool = False  # folders and globs are searched for Dockerfiles (check; convert -w/--check/--diff)


@dataclass
class Entry:
    """One input: its result and the settings it was converted with, or its error."""

    path: str
    result: Result | None = None
    error: XBuildError | None = None
    settings: dict[str, str] = field(default_factory=dict)


@dataclass
class Report:
    """Every input in order; errors were printed as they happened."""

    entries: list[Entry] = field(default_factory=list)

    @property
    def errors(self) -> list[XBuildError]:
        return [e.error for e in self.entries if e.error is not None]

    @property
    def changed(self) -> int:
        return sum(1 for e in self.entries if e.result is not None and e.result.changed)

    def failed(self, path: str, error: XBuildError) -> None:
        if error.exit_code == EXIT_USAGE:  # a bad flag or config applies to every file
            raise error
        if error.path is None:
            error.path = path
        print(f"xbuild: {error}", file=sys.stderr, flush=True)
        self.entries.append(Entry(path, error=error))

    @property
    def exit_code(self) -> int:
        """The worst error's code (3 unreadable or unsupported, ...); 0 without errors."""
        return max((e.exit_code for e in self.errors), default=0)


def file_options(path: str, options: RunOptions) -> tuple[Options, dict[str, str]]:
    """``Options`` for Dockerfile ``path`` (``-``: standard input, settings from the current
    folder's config) and the config settings they were made from."""
    from xbuild.config import load_config
    from xbuild.settings import make_options

    settings = load_config(path, options.config)
    made = make_options(path, target=options.target, context=options.context,
                        platforms=options.platforms, helper=options.helper,
                        ignore=options.ignore, no_context=options.no_context,
                        discover_context=True, config=settings)
    return made, settings


def _files(paths: Iterable[str], options: RunOptions,
           report: Report) -> Iterable[str]:
    from xbuild.discover import find_dockerfiles

    for item in paths:
        if not options.discover:
            yield item
            continue
        try:
            found = find_dockerfiles([item])
        except XBuildError as exc:
            report.failed(item, exc)
            continue
        yield from found


def run_paths(paths: Iterable[str], options: RunOptions,
              on_result: Callable[[Entry], None] | None = None) -> Report:
    """Convert every file ``paths`` name; ``on_result`` sees each result as it is made
    (an error it raises stops the run, as a failed write should)."""
    from xbuild.config import read_config
    from xbuild.convert import convert
    from xbuild.files import read_dockerfile

    if options.config is not None:
        read_config(options.config)  # a bad --config is a usage error before any file is read
    report = Report()
    for path in _files(paths, options, report):
        try:
            made, settings = file_options(path, options)
            result = convert(read_dockerfile(path), path, made)
        except XBuildError as exc:
            report.failed(path, exc)
            continue
        entry = Entry(path, result=result, settings=settings)
        report.entries.append(entry)
        if on_result is not None:
            on_result(entry)
    return report
