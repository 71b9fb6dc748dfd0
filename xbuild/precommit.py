"""``python -m xbuild.precommit convert FILE...``: the xbuild-convert pre-commit hook.

pre-commit passes every matching file at once, and ``xbuild convert`` takes one
path; this runs ``convert --write`` over each. Prints ``path: rewritten`` per changed
file; exits 1 when a file changed (pre-commit then shows the diff), 3 when one could
not be read or parsed (one line each, the others are still converted), else 0.
"""

from __future__ import annotations

import sys

from xbuild.errors import EXIT_USAGE, XBuildError


def convert_files(paths: list[str]) -> int:
    from xbuild.config import load_config
    from xbuild.convert import convert
    from xbuild.files import read_dockerfile, write_atomic
    from xbuild.settings import make_options

    changed = False
    error = 0
    for path in paths:
        try:
            result = convert(read_dockerfile(path), path,
                             make_options(path, config=load_config(path)))
        except XBuildError as exc:
            print(f"xbuild: {exc}", file=sys.stderr)
            error = max(error, exc.exit_code)
            continue
        if result.changed:
            write_atomic(path, result.text)
            print(f"{path}: rewritten")
            changed = True
    return error or (1 if changed else 0)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "convert":
        print("usage: python -m xbuild.precommit convert FILE...", file=sys.stderr)
        return EXIT_USAGE
    return convert_files(args[1:])


if __name__ == "__main__":
    sys.exit(main())
