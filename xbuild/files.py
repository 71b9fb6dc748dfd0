"""Reading and writing Dockerfiles: the only place that touches their bytes.

Text is decoded as UTF-8 with ``surrogateescape`` so that any byte sequence
survives a round trip unchanged (invalid UTF-8 is preserved, never re-encoded).
Newlines are never translated.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile

from xbuild.errors import XBuildError

ENCODING = "utf-8"
ERRORS = "surrogateescape"
# A Dockerfile larger than this is refused rather than read into memory.
MAX_BYTES = 64 * 1024 * 1024


def decode(data: bytes) -> str:
    return data.decode(ENCODING, ERRORS)


def encode(text: str) -> bytes:
    return text.encode(ENCODING, ERRORS)


def read_dockerfile(path: str) -> str:
    """The text of ``path`` (``-`` is standard input), or an ``XBuildError``."""
    if path == "-":
        return _checked(sys.stdin.buffer.read(MAX_BYTES + 1), "<stdin>")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise XBuildError("no such file", path=path) from None
    except OSError as exc:
        raise XBuildError(f"cannot read: {exc.strerror}", path=path) from None
    if stat.S_ISDIR(st.st_mode):
        raise XBuildError("is a directory, not a Dockerfile", path=path)
    if st.st_size > MAX_BYTES:
        raise XBuildError(f"file too large ({st.st_size} bytes; limit {MAX_BYTES})", path=path)
    try:
        with open(path, "rb") as fh:
            # Bounded: st_size is 0 for /dev/zero, pipes and <(process substitution).
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise XBuildError(f"cannot read: {exc.strerror}", path=path) from None
    return _checked(data, path)


# Byte order marks of encodings BuildKit does not read (it reads UTF-8 only);
# Windows PowerShell 5 writes UTF-16LE with a BOM by default.
_UTF16_32_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                  (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _checked(data: bytes, path: str) -> str:
    if len(data) > MAX_BYTES:
        raise XBuildError(f"file too large (over {MAX_BYTES} bytes)", path=path)
    for bom, name in _UTF16_32_BOMS:
        if data.startswith(bom):
            raise XBuildError(f"{name} encoded; BuildKit reads Dockerfiles as UTF-8 only",
                              path=path, line=1)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise XBuildError("binary content (NUL byte), not a Dockerfile", path=path, line=line)
    return decode(data)


def _umask() -> int:
    """The process umask (reading it means setting it; set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str, text: str) -> None:
    """Replace ``path`` with ``text``: temp file in the same folder, fsync, rename.

    Keeps the file's mode and (when permitted) ownership; a new file gets 0666 less
    the umask, as ``open()`` would give it (mkstemp's own 0600 would leave a
    generated Dockerfile unreadable to a build running as another user). On any
    failure the original is untouched and the temporary file removed.
    """
    data = encode(text)
    target = os.path.realpath(path)  # write through a symlink, keep the link
    folder = os.path.dirname(target) or "."
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise XBuildError(f"cannot write: {exc.strerror}", path=path) from None
    # no write bit for anyone is read-only even for root (who passes os.access)
    if st is not None and (not os.access(target, os.W_OK) or not st.st_mode & 0o222):
        raise XBuildError("cannot write: file is read-only", path=path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".xbuild-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise XBuildError(f"cannot write: {exc.strerror} (folder {folder})", path=path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is None:
            os.chmod(tmp, 0o666 & ~_umask())
        else:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except (PermissionError, AttributeError):
                pass
        pause = os.environ.get("XBUILD_TEST_PAUSE_BEFORE_RENAME")
        if pause:  # tests kill the process here: the original must survive
            import time

            time.sleep(float(pause))
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise XBuildError(f"cannot write: {exc.strerror}", path=path) from None
    try:  # make the rename itself durable
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
