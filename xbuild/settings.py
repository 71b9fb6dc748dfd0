"""Options from the command line, merged over config-file settings (xbuild.config)."""

from __future__ import annotations

import os

from xbuild.buildcontext import default_context
from xbuild.errors import UsageError
from xbuild.platforms import DEFAULT_PLATFORMS, parse_platforms
from xbuild.result import Options

HELPERS = ("auto", "native", "xx")


def platforms_flag(value: str, flag: str = "--platforms") -> tuple[str, ...]:
    """The platforms a command-line ``flag`` names, or a usage error that names the flag."""
    try:
        return parse_platforms(value)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def make_options(path: str, *, target: str | None = None, context: str | None = None,
                 platforms: str | None = None, helper: str | None = None,
                 ignore: str | None = None, config: dict[str, str] | None = None,
                 no_context: bool = False, discover_context: bool = False) -> Options:
    """Validate flag values into ``Options``; command-line values win over ``config``
    (settings from a config file, see ``xbuild.config``; ``ignore`` adds up).

    ``discover_context`` (the CLI's default): with no ``--context``, read the
    build context as ``docker build`` would (``choose_context``); otherwise
    ``Options.context`` is ``context`` as given (None: the Dockerfile alone)."""
    config = config or {}
    target = target if target is not None else config.get("target")
    platforms = platforms if platforms is not None else config.get("platforms")
    helper = helper if helper is not None else config.get("helper")
    if config.get("ignore"):
        ignore = ",".join(x for x in (config["ignore"], ignore) if x)
    plats = DEFAULT_PLATFORMS
    if platforms is not None:
        plats = platforms_flag(platforms)
    if helper is not None and helper not in HELPERS:
        raise UsageError(f"--helper: {helper!r} is not one of {', '.join(HELPERS)}")
    codes = frozenset(c.strip().upper() for c in (ignore or "").split(",") if c.strip())
    if discover_context or no_context or context is not None:
        context = choose_context(path, context, no_context, config.get("context"))
    return Options(target=target, context=context, platforms=plats, helper=helper or "auto",
                   ignore=codes)


def choose_context(path: str, context: str | None, no_context: bool,
                   configured: str | None = None) -> str | None:
    """The build context for Dockerfile ``path``: ``--no-context`` > ``--context DIR`` >
    the config's ``context`` > the Dockerfile's folder when it is a project
    (``xbuild.buildcontext.default_context``; standard input has none)."""
    if no_context and context is not None:
        raise UsageError("--context and --no-context are exclusive")
    if no_context:
        return None
    if context is not None:
        if not os.path.isdir(context):
            raise UsageError(f"--context: {context}: not a directory")
        return context
    if configured == "false":
        return None
    if configured not in (None, "true"):
        if not os.path.isdir(configured):
            raise UsageError(f"config setting 'context': {configured}: not a directory")
        return configured
    return default_context(path)
