"""`xbuild verify` on OCI layouts written by the test, and over HTTP from a tiny local registry."""

from __future__ import annotations

import http.server
import json
import os
import threading

import pytest

from tests.elfmaker import Layout, layer, make_elf
from xbuild.cli import main
from xbuild.errors import EXIT_VERIFY
from xbuild.registry import RegistrySource, split_reference
from xbuild.verify import merge_layers, resolve

LD_ARM64 = "/lib/ld-linux-aarch64.so.1"
LD_AMD64 = "/lib64/ld-linux-x86-64.so.2"


def base(arch: str) -> bytes:
    """A Debian-like merged-/usr base: /lib -> usr/lib, the loader a relative symlink."""
    if arch == "arm64":
        return layer([("usr", "dir", None), ("usr/lib", "dir", None), ("usr/lib/aarch64-linux-gnu", "dir", None),
                      ("usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1", "file", make_elf(183, e_type=3)),
                      ("lib", "sym", "usr/lib"),
                      ("usr/lib/ld-linux-aarch64.so.1", "sym", "aarch64-linux-gnu/ld-linux-aarch64.so.1"),
                      ("etc", "dir", None), ("etc/os-release", "file", b"ID=debian\n", 0o644)])
    return layer([("usr", "dir", None), ("usr/lib64", "dir", None),
                  ("usr/lib64/ld-linux-x86-64.so.2", "file", make_elf(62, e_type=3)),
                  ("lib64", "sym", "/usr/lib64")])


def app_layer(machine: int, interp: str | None) -> bytes:
    return layer([("app", "dir", None), ("app/hello", "file", make_elf(machine, interp=interp))])


@pytest.fixture
def good(tmp_path):
    root = str(tmp_path / "oci")
    lay = Layout(root)
    lay.index([lay.image("linux/amd64", [base("amd64"), app_layer(62, LD_AMD64)]),
               lay.image("linux/arm64", [base("arm64"), app_layer(183, LD_ARM64)])])
    return root


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def test_good_layout_passes(good, capsys):
    rc, out, err = run(["verify", good, "--platform", "linux/amd64,linux/arm64"], capsys)
    assert rc == 0, out + err
    lines = out.splitlines()
    assert lines[0].startswith("linux/amd64: sha256:") and lines[0].endswith("2 ELF files checked: ok")
    assert lines[1].endswith("2 ELF files checked: ok")


def test_missing_platform(good, capsys):
    rc, out, _ = run(["verify", good, "--platform", "linux/amd64,linux/arm/v7"], capsys)
    assert rc == EXIT_VERIFY
    assert "linux/arm/v7: no image for linux/arm/v7 in the index (it has: linux/amd64, linux/arm64)" in out


def test_wrong_machine_in_arm64_image(tmp_path, capsys):
    lay = Layout(str(tmp_path))
    lay.index([lay.image("linux/arm64", [base("arm64"), app_layer(62, None)])])
    rc, out, _ = run(["verify", str(tmp_path), "--platform", "linux/arm64"], capsys)
    assert rc == EXIT_VERIFY
    assert "linux/arm64: /app/hello: machine x86-64 (EM_X86_64), expected AArch64 (EM_AARCH64)" in out


def test_glibc_binary_in_image_without_loader(tmp_path, capsys):
    alpine_like = layer([("lib", "dir", None), ("lib/ld-musl-aarch64.so.1", "file", make_elf(183, e_type=3))])
    lay = Layout(str(tmp_path))
    lay.index([lay.image("linux/arm64", [alpine_like, app_layer(183, LD_ARM64)])])
    rc, out, _ = run(["verify", str(tmp_path), "--platform", "linux/arm64"], capsys)
    assert rc == EXIT_VERIFY
    assert f"linux/arm64: /app/hello: dynamic loader {LD_ARM64} is not in the image" in out


def test_whiteout_removes_bad_file_and_loader(tmp_path, capsys):
    bad = layer([("app", "dir", None), ("app/x86tool", "file", make_elf(62))])
    remove_bad = layer([("app/.wh.x86tool", "file", b"")])
    lay = Layout(str(tmp_path))
    lay.index([lay.image("linux/arm64", [base("arm64"), bad, remove_bad, app_layer(183, LD_ARM64)])])
    rc, out, _ = run(["verify", str(tmp_path), "--platform", "linux/arm64"], capsys)
    assert rc == 0, out
    # and deleting the loader's real file breaks the symlink chain
    lay.index([lay.image("linux/arm64", [base("arm64"), layer([("usr/lib/aarch64-linux-gnu/.wh..wh..opq",
                                                                  "file", b"")]),
                                         app_layer(183, LD_ARM64)])])
    rc, out, _ = run(["verify", str(tmp_path), "--platform", "linux/arm64"], capsys)
    assert rc == EXIT_VERIFY and "dynamic loader" in out


@pytest.mark.parametrize("platform, arch_tag, ok", [
    ("linux/arm/v7", 10, True), ("linux/arm/v7", 6, True), ("linux/arm/v6", 6, True),
    ("linux/arm/v6", 10, False), ("linux/arm/v7", 14, False),
])
def test_arm_architecture_version(tmp_path, capsys, platform, arch_tag, ok):
    lay = Layout(str(tmp_path))
    lay.index([lay.image(platform, [layer([("hello", "file", make_elf(40, cls=32, arm_arch=arch_tag))])])])
    rc, out, _ = run(["verify", str(tmp_path), "--platform", platform], capsys)
    assert (rc == 0) is ok, out
    if not ok:
        assert f"does not run on {platform}" in out


def test_32_bit_binary_in_64_bit_image_and_endianness(tmp_path, capsys):
    lay = Layout(str(tmp_path))
    lay.index([lay.image("linux/s390x", [layer([("a", "file", make_elf(22, big=False)),
                                                 ("b", "file", make_elf(22, big=True)),
                                                 ("c", "file", make_elf(22, cls=32, big=True))])])])
    rc, out, _ = run(["verify", str(tmp_path), "--platform", "linux/s390x"], capsys)
    assert rc == EXIT_VERIFY
    assert "linux/s390x: /a: little-endian, expected big-endian" in out
    assert "/b:" not in out
    assert "linux/s390x: /c: ELF32, expected ELF64" in out


def test_elf_files_without_exec_bit_are_checked_and_exclude(tmp_path, capsys):
    """A shared object (or any ELF file) without an exec bit ships code too."""
    lay = Layout(str(tmp_path))
    lay.index([lay.image("linux/arm64", [layer([
        ("usr/lib/libplugin.so", "file", make_elf(62, e_type=3, soname="libplugin.so"), 0o644),
        ("data.bin", "file", b"\x7fELF not really an ELF file, and no exec bit", 0o644),
        ("notes.txt", "file", b"hello", 0o644),
        ("opt/cross/bin/tool", "file", make_elf(62)),
    ])])])
    rc, out, _ = run(["verify", str(tmp_path), "--platform", "linux/arm64"], capsys)
    assert rc == EXIT_VERIFY
    assert "linux/arm64: /usr/lib/libplugin.so: machine x86-64 (EM_X86_64), expected AArch64" in out
    assert "linux/arm64: /data.bin: malformed ELF" in out and "/opt/cross/bin/tool" in out
    assert "notes.txt" not in out
    assert "3 ELF files checked" in out
    rc, out, _ = run(["verify", str(tmp_path), "--platform", "linux/arm64", "--exclude", "/opt/cross/*",
                      "--exclude", "/usr/lib/*", "--exclude", "/data.bin"], capsys)
    assert rc == 0, out


class _StreamOnly:
    """A blob reader that cannot seek: what a registry response is."""

    def __init__(self, fh):
        self.fh = fh

    def read(self, n=-1):
        return self.fh.read(n)

    def close(self):
        self.fh.close()


def test_layers_are_streamed_never_read_whole(good, capsys, monkeypatch):
    from xbuild import registry

    layer_digests = set()
    for m in json.load(open(os.path.join(good, "index.json")))["manifests"]:
        man = json.load(open(os.path.join(good, "blobs", "sha256", m["digest"].split(":")[1])))
        layer_digests |= {x["digest"] for x in man["layers"]}
    real_blob, real_open = registry.LayoutSource.blob, registry.LayoutSource.open_blob

    def blob(self, digest, *a, **kw):
        assert digest not in layer_digests, "a layer was read into memory whole"
        return real_blob(self, digest, *a, **kw)

    def open_blob(self, digest):
        reader = real_open(self, digest)
        reader.fh = _StreamOnly(reader.fh)
        return reader

    monkeypatch.setattr(registry.LayoutSource, "blob", blob)
    monkeypatch.setattr(registry.LayoutSource, "open_blob", open_blob)
    rc, out, err = run(["verify", good, "--platform", "linux/amd64,linux/arm64"], capsys)
    assert rc == 0, out + err


def test_corrupt_layer_is_caught_while_streaming(tmp_path, capsys):
    lay = Layout(str(tmp_path))
    lay.index([lay.image("linux/arm64", [base("arm64"), app_layer(183, LD_ARM64)])])
    man = json.load(open(os.path.join(tmp_path, "blobs", "sha256",
                                      json.load(open(tmp_path / "index.json"))["manifests"][0]["digest"][7:])))
    path = os.path.join(tmp_path, "blobs", "sha256", man["layers"][1]["digest"][7:])
    with open(path, "ab") as fh:
        fh.write(b"\0" * 1024)  # trailing bytes after the gzip stream: the tar still reads
    rc, _, err = run(["verify", str(tmp_path), "--platform", "linux/arm64"], capsys)
    assert rc == 3 and "does not match its digest" in err and err.count("\n") == 1


def test_whiteout_in_a_layer_hides_lower_layers_only():
    """OCI image-spec: a whiteout applies to lower layers, not to a file of its own layer."""
    fs = merge_layers([layer([("a", "file", b"old", 0o644), ("d", "dir", None), ("d/x", "file", b"1", 0o644)]),
                       layer([("a", "file", b"new", 0o644), (".wh.a", "file", b""),
                              ("d/y", "file", b"2", 0o644), ("d/.wh..wh..opq", "file", b"")])])
    assert "/a" in fs
    assert "/d/y" in fs and "/d/x" not in fs


def test_config_platform_disagrees_with_index(tmp_path, capsys):
    lay = Layout(str(tmp_path))
    lay.index([lay.image("linux/arm64", [layer([("x", "file", make_elf(183))])], config_platform="linux/amd64")])
    rc, out, _ = run(["verify", str(tmp_path), "--platform", "linux/arm64"], capsys)
    assert rc == EXIT_VERIFY and "image config says linux/amd64, the index says linux/arm64" in out


def test_nested_index_and_attestations_skipped(tmp_path, capsys):
    """buildx --output type=oci: index.json -> one index -> platforms + attestation manifests."""
    lay = Layout(str(tmp_path))
    arm = lay.image("linux/arm64", [base("arm64"), app_layer(183, LD_ARM64)])
    att = lay.image("unknown/unknown", [layer([("x.json", "file", b"{}", 0o644)])])
    att["annotations"] = {"vnd.docker.reference.type": "attestation-manifest"}
    inner = lay.put(lay.index([arm, att]), "application/vnd.oci.image.index.v1+json")
    lay.index([inner])
    rc, out, _ = run(["verify", str(tmp_path), "--platform", "linux/arm64"], capsys)
    assert rc == 0, out


def test_corrupt_blob_is_one_line(good, capsys):
    idx = json.load(open(os.path.join(good, "index.json")))
    digest = idx["manifests"][0]["digest"].split(":")[1]
    with open(os.path.join(good, "blobs", "sha256", digest), "ab") as fh:
        fh.write(b" ")
    rc, _, err = run(["verify", good, "--platform", "linux/amd64"], capsys)
    assert rc == 3
    assert err.count("\n") == 1 and "does not match its digest" in err


@pytest.mark.parametrize("arg, message", [
    ("/nonexistent/dir", "neither an OCI layout directory nor a valid image reference"),
    ("Bad Ref", "neither an OCI layout directory nor a valid image reference"),
])
def test_bad_targets(arg, message, capsys):
    rc, _, err = run(["verify", arg], capsys)
    assert rc == 3 and message in err and err.count("\n") == 1


def test_resolve_symlinks_in_image_root():
    fs = merge_layers([base("arm64"), layer([("etc/loop", "sym", "loop"), ("up", "sym", "../../usr/lib")])])
    assert resolve(fs, LD_ARM64) == "/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1"
    assert resolve(fs, "/up/ld-linux-aarch64.so.1") == "/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1"
    assert resolve(fs, "/etc/loop") is None
    assert resolve(fs, "/lib/missing") is None


def test_hard_link_keeps_elf_info():
    fs = merge_layers([layer([("a", "file", make_elf(183)), ("b", "hard", "a")])])
    assert fs["/b"].info is not None and fs["/b"].info.machine == 183


def test_split_reference():
    assert split_reference("127.0.0.1:5000/xbuild/hello:conv") == ("127.0.0.1:5000", "xbuild/hello", "conv")
    assert split_reference("localhost/a") == ("localhost", "a", "latest")
    assert split_reference("alpine") == ("registry-1.docker.io", "library/alpine", "latest")
    assert split_reference("r.io/a@sha256:" + "0" * 64)[2] == "sha256:" + "0" * 64


class _RegistryHandler(http.server.BaseHTTPRequestHandler):
    """The two GETs of the distribution API, served from an OCI layout."""

    root = ""
    seen: list = []

    def do_GET(self):  # noqa: N802
        self.seen.append((self.path, self.headers.get("Accept")))
        parts = self.path.split("/")
        # /v2/<repo...>/manifests/<ref> or /v2/<repo...>/blobs/<digest>
        kind, ref = parts[-2], parts[-1]
        if kind == "manifests" and not ref.startswith("sha256:"):
            data = open(os.path.join(self.root, "index.json"), "rb").read()
            ctype = json.loads(data)["mediaType"]
        else:
            path = os.path.join(self.root, "blobs", "sha256", ref.split(":", 1)[1])
            if not os.path.exists(path):
                self.send_error(404)
                return
            data = open(path, "rb").read()
            ctype = json.loads(data).get("mediaType", "application/octet-stream") if kind == "manifests" \
                else "application/octet-stream"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_over_http_from_a_local_registry(tmp_path, capsys):
    lay = Layout(str(tmp_path))
    lay.index([lay.image("linux/amd64", [base("amd64"), app_layer(62, LD_AMD64)]),
               lay.image("linux/arm64", [base("arm64"), app_layer(62, LD_AMD64)])],
              media_type="application/vnd.docker.distribution.manifest.list.v2+json")
    handler = type("H", (_RegistryHandler,), {"root": str(tmp_path), "seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        ref = f"127.0.0.1:{server.server_address[1]}/xbuild/hello:v1"
        assert RegistrySource(ref).base.startswith("http://127.0.0.1:")
        rc, out, _ = run(["verify", ref, "--platform", "linux/amd64,linux/arm64"], capsys)
    finally:
        server.shutdown()
        server.server_close()
    assert rc == EXIT_VERIFY
    assert "linux/amd64: " in out and "linux/amd64: /app/hello" not in out
    assert "linux/arm64: /app/hello: machine x86-64 (EM_X86_64), expected AArch64 (EM_AARCH64)" in out
    first_path, accept = handler.seen[0]
    assert first_path == "/v2/xbuild/hello/manifests/v1"
    assert "application/vnd.oci.image.index.v1+json" in accept
    assert "application/vnd.docker.distribution.manifest.list.v2+json" in accept
