"""Reading images: an OCI image layout directory, or a registry over HTTP API v2.

Only what ``verify`` and ``prove`` need: the top manifest (an index / manifest
list, or a single manifest), manifests and blobs by digest. Every blob read is
checked against its digest; layers are read as a stream (``open_blob``), hashed
as they pass, so no layer is ever held in memory whole. Registries are spoken to with ``urllib`` only; plain HTTP
for ``localhost``/``127.0.0.1`` (what dockerd itself treats as insecure by
default), HTTPS otherwise; no authentication (anonymous pulls only).

References: OCI image-spec (image-layout.md, image-index.md, manifest.md),
OCI distribution-spec (GET /v2/<name>/manifests/<ref>, /v2/<name>/blobs/<digest>),
Docker Image Manifest V2 Schema 2 (manifest list media type).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.error
import urllib.request
from typing import IO, Any

from xbuild.errors import EXIT_INPUT, XBuildError

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
INDEX_TYPES = (OCI_INDEX, DOCKER_LIST)
MANIFEST_TYPES = (OCI_MANIFEST, DOCKER_MANIFEST)
ACCEPT = ", ".join(INDEX_TYPES + MANIFEST_TYPES)

MAX_MANIFEST = 4 * 1024 * 1024
MAX_BLOB = 4 * 1024 * 1024 * 1024
DIGEST = re.compile(r"^(sha256|sha512):([0-9a-f]+)$")
INSECURE_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def _check_digest(digest: str, data: bytes, where: str) -> None:
    m = DIGEST.match(digest)
    if not m:
        raise XBuildError(f"unsupported digest {digest!r}", path=where, exit_code=EXIT_INPUT)
    actual = hashlib.new(m.group(1), data).hexdigest()
    if actual != m.group(2):
        raise XBuildError(f"content of {digest} does not match its digest (got {m.group(1)}:{actual})",
                          path=where, exit_code=EXIT_INPUT)


def media_type_of(data: bytes, declared: str | None, where: str) -> tuple[str, dict[str, Any]]:
    try:
        doc = json.loads(data)
    except ValueError:
        raise XBuildError("manifest is not JSON", path=where, exit_code=EXIT_INPUT) from None
    if not isinstance(doc, dict):
        raise XBuildError("manifest is not a JSON object", path=where, exit_code=EXIT_INPUT)
    mt = doc.get("mediaType") or declared or ""
    if not mt:  # OCI allows omitting mediaType: an index has "manifests", a manifest "layers"
        mt = OCI_INDEX if "manifests" in doc else OCI_MANIFEST if "layers" in doc else ""
    if mt not in INDEX_TYPES + MANIFEST_TYPES:
        raise XBuildError(f"unsupported manifest media type {mt!r}", path=where, exit_code=EXIT_INPUT)
    return mt, doc


class BlobReader:
    """A blob as a forward-only stream; hashes what passes and checks the digest at ``close``.

    ``close`` reads whatever the consumer left (a tar's padding after its end blocks)
    so the digest always covers the whole blob; a mismatch is an ``XBuildError``.
    """

    def __init__(self, fh: IO[bytes], digest: str, where: str, limit: int = MAX_BLOB) -> None:
        m = DIGEST.match(digest)
        if not m:
            raise XBuildError(f"unsupported digest {digest!r}", path=where, exit_code=EXIT_INPUT)
        self.fh, self.digest, self.where, self.limit = fh, digest, where, limit
        self._hash = hashlib.new(m.group(1))
        self._want = m.group(2)
        self._count = 0

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self._count += len(data)
        if self._count > self.limit:
            raise XBuildError(f"blob {self.digest} is over the {self.limit}-byte limit", path=self.where,
                              exit_code=EXIT_INPUT)
        self._hash.update(data)
        return bytes(data)

    def close(self) -> None:
        try:
            while self.read(1 << 20):
                pass
        finally:
            self.fh.close()
        if self._hash.hexdigest() != self._want:
            raise XBuildError(f"content of {self.digest} does not match its digest "
                              f"(got {self._hash.name}:{self._hash.hexdigest()})", path=self.where,
                              exit_code=EXIT_INPUT)

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        if exc_type is None:
            self.close()
        else:  # the first error wins; do not read the rest of a broken stream
            self.fh.close()


class Source:
    """Where an image's manifests and blobs come from."""

    name: str

    def open_blob(self, digest: str) -> BlobReader:
        raise NotImplementedError

    def top(self) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError

    def manifest(self, digest: str) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError

    def blob(self, digest: str) -> bytes:
        raise NotImplementedError


class LayoutSource(Source):
    """An OCI image layout directory (``oci-layout``, ``index.json``, ``blobs/``)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.name = path
        if not os.path.isfile(os.path.join(path, "index.json")):
            raise XBuildError("not an OCI image layout (no index.json)", path=path, exit_code=EXIT_INPUT)

    def _read(self, rel: str, limit: int) -> bytes:
        full = os.path.join(self.path, rel)
        try:
            size = os.path.getsize(full)
            if size > limit:
                raise XBuildError(f"{rel}: {size} bytes is over the {limit} limit", path=self.path,
                                  exit_code=EXIT_INPUT)
            with open(full, "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            raise XBuildError(f"missing {rel}", path=self.path, exit_code=EXIT_INPUT) from None
        except OSError as exc:
            raise XBuildError(f"cannot read {rel}: {exc.strerror}", path=self.path,
                              exit_code=EXIT_INPUT) from None

    def _blob_path(self, digest: str) -> str:
        m = DIGEST.match(digest)
        if not m:
            raise XBuildError(f"unsupported digest {digest!r}", path=self.path, exit_code=EXIT_INPUT)
        return os.path.join("blobs", m.group(1), m.group(2))

    def top(self) -> tuple[str, dict[str, Any]]:
        data = self._read("index.json", MAX_MANIFEST)
        return media_type_of(data, OCI_INDEX, os.path.join(self.path, "index.json"))

    def manifest(self, digest: str) -> tuple[str, dict[str, Any]]:
        data = self.blob(digest, MAX_MANIFEST)
        return media_type_of(data, None, f"{self.path}@{digest}")

    def blob(self, digest: str, limit: int = MAX_BLOB) -> bytes:
        data = self._read(self._blob_path(digest), limit)
        _check_digest(digest, data, self.path)
        return data

    def open_blob(self, digest: str) -> BlobReader:
        rel = self._blob_path(digest)
        try:
            fh = open(os.path.join(self.path, rel), "rb")
        except FileNotFoundError:
            raise XBuildError(f"missing {rel}", path=self.path, exit_code=EXIT_INPUT) from None
        except OSError as exc:
            raise XBuildError(f"cannot read {rel}: {exc.strerror}", path=self.path,
                              exit_code=EXIT_INPUT) from None
        return BlobReader(fh, digest, self.path)


# [registry/]name[:tag][@digest]; the registry part is present when the first
# component has a dot or a colon or is "localhost" (docker's rule).
def split_reference(ref: str) -> tuple[str, str, str]:
    """(registry host[:port], repository, tag-or-digest)."""
    name, digest = (ref.split("@", 1) + [""])[:2]
    last = name.rsplit("/", 1)[-1]
    tag = ""
    if ":" in last:
        name, tag = name.rsplit(":", 1)
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        host, repo = first, rest
    else:
        host, repo = "registry-1.docker.io", name if "/" in name else "library/" + name
    return host, repo, digest or tag or "latest"


class RegistrySource(Source):
    """A registry spoken to over the HTTP API v2, anonymously."""

    def __init__(self, ref: str, timeout: float = 60.0) -> None:
        self.ref = ref
        self.name = ref
        self.host, self.repo, self.reference = split_reference(ref)
        hostname = self.host.rsplit(":", 1)[0] if not self.host.startswith("[") else self.host.split("]")[0] + "]"
        scheme = "http" if hostname in INSECURE_HOSTS else "https"
        self.base = f"{scheme}://{self.host}/v2/{self.repo}"
        self.timeout = timeout

    def _open(self, url: str, accept: str | None) -> Any:  # an http.client.HTTPResponse
        req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
        try:
            return urllib.request.urlopen(req, timeout=self.timeout)  # noqa: S310 (http(s) only)
        except urllib.error.HTTPError as exc:
            hint = " (authentication is not supported)" if exc.code == 401 else ""
            raise XBuildError(f"registry answered {exc.code} {exc.reason} for {url}{hint}",
                              path=self.ref, exit_code=EXIT_INPUT) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise XBuildError(f"cannot reach the registry at {self.host}: {reason}", path=self.ref,
                              exit_code=EXIT_INPUT) from None

    def _get(self, url: str, accept: str | None, limit: int) -> tuple[bytes, str | None]:
        with self._open(url, accept) as resp:
            try:
                data = resp.read(limit + 1)
            except OSError as exc:
                raise XBuildError(f"reading {url} failed: {exc}", path=self.ref, exit_code=EXIT_INPUT) from None
            ctype = resp.headers.get("Content-Type")
        if len(data) > limit:
            raise XBuildError(f"{url}: response over the {limit}-byte limit", path=self.ref,
                              exit_code=EXIT_INPUT)
        return data, ctype

    def _manifest(self, reference: str) -> tuple[str, dict[str, Any]]:
        data, ctype = self._get(f"{self.base}/manifests/{reference}", ACCEPT, MAX_MANIFEST)
        if reference.startswith("sha"):
            _check_digest(reference, data, self.ref)
        declared = ctype.split(";")[0].strip() if ctype else None
        return media_type_of(data, declared, self.ref)

    def top(self) -> tuple[str, dict[str, Any]]:
        return self._manifest(self.reference)

    def manifest(self, digest: str) -> tuple[str, dict[str, Any]]:
        return self._manifest(digest)

    def blob(self, digest: str, limit: int = MAX_BLOB) -> bytes:
        data, _ = self._get(f"{self.base}/blobs/{digest}", None, limit)
        _check_digest(digest, data, self.ref)
        return data

    def open_blob(self, digest: str) -> BlobReader:
        return BlobReader(self._open(f"{self.base}/blobs/{digest}", None), digest, self.ref)


def open_source(target: str) -> Source:
    """An OCI layout when ``target`` is a directory, otherwise an image reference."""
    if os.path.isdir(target):
        return LayoutSource(target)
    if os.path.exists(target):
        raise XBuildError("is a file; expected an OCI image layout directory or an image reference",
                          path=target, exit_code=EXIT_INPUT)
    from xbuild.buildx import IMAGE_REFERENCE

    if not IMAGE_REFERENCE.match(target):
        raise XBuildError("neither an OCI layout directory nor a valid image reference",
                          path=target, exit_code=EXIT_INPUT)
    return RegistrySource(target)
