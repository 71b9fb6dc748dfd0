"""Project configuration: ``[tool.xbuild]`` in pyproject.toml, or ``.xbuild.toml``.

``find_config`` walks up from the Dockerfile's folder to the repository root
(the first folder holding ``.git``) and takes the first file that configures
xbuild; in one folder ``.xbuild.toml`` wins over ``pyproject.toml``. A
pyproject.toml without a ``[tool.xbuild]`` table is skipped. ``config_values``
is the pure part: it validates the table into keyword arguments for
``settings.make_options``, where command-line flags win.

Keys (all optional)::

    [tool.xbuild]                        # or top-level keys in .xbuild.toml
    platforms = ["linux/amd64", "linux/arm64"]   # or "linux/amd64,linux/arm64"
    helper = "auto"                      # auto | native | xx
    ignore = ["XB006"]                   # or "XB006,XB007"
    target = "release"                   # the exported stage
    context = false                      # read the Dockerfile alone (default: true,
                                         # or a folder relative to this file)
"""

from __future__ import annotations

import os
from typing import Any

from xbuild.errors import EXIT_USAGE, XBuildError

KEYS = ("platforms", "helper", "ignore", "target", "context")
FILENAMES = (".xbuild.toml", "pyproject.toml")


def _toml():
    try:
        import tomllib  # Python 3.11+
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            return None
    return tomllib


def config_values(data: dict[str, Any], source: str) -> dict[str, str]:
    """Validate a config table into ``make_options`` keyword arguments (strings)."""
    out: dict[str, str] = {}
    for key, value in data.items():
        if key not in KEYS:
            raise XBuildError(f"unknown xbuild setting {key!r} (known: {', '.join(KEYS)})",
                              path=source, exit_code=EXIT_USAGE)
        if key == "context":
            if isinstance(value, bool):
                out[key] = "true" if value else "false"
                continue
            if isinstance(value, str) and value:
                out[key] = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(source)),
                                                         value))
                continue
            raise XBuildError("xbuild setting 'context' must be true, false or a folder",
                              path=source, exit_code=EXIT_USAGE)
        if key in ("platforms", "ignore") and isinstance(value, list) and all(
                isinstance(v, str) for v in value):
            value = ",".join(value)
        if not isinstance(value, str):
            raise XBuildError(f"xbuild setting {key!r} must be a string"
                              + (" or a list of strings" if key in ("platforms", "ignore") else ""),
                              path=source, exit_code=EXIT_USAGE)
        out[key] = value
    return out


def read_config(path: str) -> dict[str, str] | None:
    """The xbuild settings in ``path`` (None: a pyproject.toml without [tool.xbuild])."""
    toml = _toml()
    if toml is None:
        raise XBuildError("reading config files needs Python 3.11+ or the tomli package",
                          path=path, exit_code=EXIT_USAGE)
    try:
        with open(path, "rb") as fh:
            data = toml.load(fh)
    except FileNotFoundError:
        raise XBuildError("no such config file", path=path, exit_code=EXIT_USAGE) from None
    except OSError as exc:
        raise XBuildError(f"cannot read config: {exc.strerror}", path=path,
                          exit_code=EXIT_USAGE) from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise XBuildError(f"invalid TOML: {exc}", path=path, exit_code=EXIT_USAGE) from None
    table = data.get("tool", {}).get("xbuild") if isinstance(data.get("tool"), dict) else None
    if os.path.basename(path) == "pyproject.toml" or table is not None:
        if table is None:
            return None
        if not isinstance(table, dict):
            raise XBuildError("[tool.xbuild] must be a table", path=path, exit_code=EXIT_USAGE)
        return config_values(table, path)
    return config_values(data, path)


def find_config(dockerfile: str) -> str | None:
    """The config file that applies to ``dockerfile`` (walking up to the repo root)."""
    if dockerfile == "-":
        folder = os.getcwd()
    else:
        folder = os.path.dirname(os.path.abspath(dockerfile))
    while True:
        for name in FILENAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                if name == ".xbuild.toml" or _has_xbuild_table(candidate):
                    return candidate
        if os.path.exists(os.path.join(folder, ".git")):
            return None  # the repository root: stop
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_xbuild_table(pyproject: str) -> bool:
    try:
        with open(pyproject, "rb") as fh:
            head = fh.read()
    except OSError:
        return False
    return b"[tool.xbuild" in head


def load_config(dockerfile: str, explicit: str | None = None) -> dict[str, str]:
    """Settings for ``dockerfile``: from ``explicit`` (--config) or the file found."""
    path = explicit if explicit is not None else find_config(dockerfile)
    if path is None:
        return {}
    return read_config(path) or {}
