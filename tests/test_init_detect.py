"""Project detection for `xbuild init`: pure functions over sample projects and tmp dirs."""

from __future__ import annotations

import os

import pytest

from xbuild.errors import XBuildError
from xbuild.project import detect, detect_lang, go_binary_name

PROJECTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "projects")


def proj(name):
    return detect(os.path.join(PROJECTS, name))


def write(root, files):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(text)
    return str(root)


def test_go_plain():
    p = proj("go-plain")
    assert (p.module, p.go_version, p.toolchain) == ("example.com/shop", "1.22.3", "1.23.1")
    assert p.mains == ("cmd/api", "cmd/worker") and p.binaries == ("api", "worker")
    # `import "C"` in a _test.go file does not make the program use cgo
    assert p.cgo is False and p.has_go_sum


def test_go_cgo_libraries_from_ldflags_and_pkg_config():
    p = proj("go-cgo")
    assert p.cgo and p.cgo_files == ("main.go",)
    assert p.libraries.dev_packages == ("libsqlite3-dev", "zlib1g-dev")  # -lm is libc: dropped
    assert p.libraries.runtime_packages == ("libsqlite3-0",)
    assert p.binaries == ("notes",)  # github.com/example/notes/v2: major version suffix skipped


def test_go_cgo_in_import_block_and_unknown_library(tmp_path):
    root = write(tmp_path, {
        "go.mod": "module x.io/cap\n\ngo 1.22\n",
        "main.go": 'package main\n\n// #cgo LDFLAGS: -lpcap -lweird\nimport (\n\t"fmt"\n\t"C"\n)\n\n'
                   "func main() { fmt.Println() }\n",
    })
    p = detect(root)
    assert p.cgo and p.libraries.dev_packages == ("libpcap-dev",)
    assert p.libraries.unknown == ("-lweird",)


def test_go_known_cgo_dependency(tmp_path):
    root = write(tmp_path, {
        "go.mod": "module a.b/c\n\ngo 1.22\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n",
        "main.go": "package main\n\nfunc main() {}\n",
    })
    assert detect(root).cgo


@pytest.mark.parametrize("module, main, name", [
    ("example.com/app", ".", "app"), ("example.com/app/v3", ".", "app"),
    ("example.com/app", "cmd/tool", "tool"), ("app", ".", "app"),
])
def test_go_binary_name(module, main, name):
    assert go_binary_name(module, main) == name


def test_go_bad_version_points_at_the_line(tmp_path):
    root = write(tmp_path, {"go.mod": "module a/b\n\ngo banana\n", "main.go": "package main\n"})
    with pytest.raises(XBuildError) as exc:
        detect(root)
    assert str(exc.value) == f"{os.path.join(root, 'go.mod')}:3: unrecognised go version 'banana'"


def test_go_without_main_package(tmp_path):
    root = write(tmp_path, {"go.mod": "module a/b\n", "lib.go": "package b\n"})
    with pytest.raises(XBuildError, match="no main package"):
        detect(root)


def test_rust_plain():
    p = proj("rust-plain")
    assert p.binaries == ("hello-rs",) and p.rust_version == "1.74" and not p.is_workspace
    assert p.sys_crates == () and p.libraries.dev_packages == ()


def test_rust_openssl_sys_crates_and_bundled_sqlite():
    p = proj("rust-openssl")
    assert p.sys_crates == ("libsqlite3-sys", "openssl-sys")
    # rusqlite's "bundled" feature compiles SQLite: no libsqlite3-dev
    assert p.libraries.dev_packages == ("libssl-dev",)
    assert p.binaries == ("fetch",)  # [[bin]] at src/main.rs replaces the package-named bin
    assert (p.toolchain_channel, p.toolchain_file) == ("1.78.0", "rust-toolchain.toml")


def test_rust_workspace_members_and_bins():
    p = proj("rust-workspace")
    assert p.is_workspace and [k.name for k in p.packages] == ["cli", "core", "server"]
    assert p.binaries == ("cli", "server", "migrate")
    assert p.rust_version == "1.80"
    assert p.packages[1].target_files == ("crates/core/src/lib.rs",)


def test_rust_legacy_toolchain_file_and_unbundled_sqlite(tmp_path):
    root = write(tmp_path, {
        "Cargo.toml": '[package]\nname = "q"\nversion = "0.1.0"\n\n[dependencies]\nrusqlite = "0.31"\n',
        "Cargo.lock": 'version = 3\n[[package]]\nname = "libsqlite3-sys"\nversion = "0.28.0"\n',
        "rust-toolchain": "1.77.2\n",
        "src/main.rs": "fn main() {}\n",
    })
    p = detect(root)
    assert p.toolchain_channel == "1.77.2"
    assert p.libraries.dev_packages == ("libsqlite3-dev",)


def test_rust_invalid_toml_is_one_line_with_location(tmp_path):
    root = write(tmp_path, {"Cargo.toml": "[package]\nname = \n"})
    with pytest.raises(XBuildError) as exc:
        detect(root)
    assert str(exc.value).startswith(os.path.join(root, "Cargo.toml") + ":2: invalid TOML")
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("name, system, exes, dev", [
    ("c-cmake", "cmake", ("zpack",), ("libsqlite3-dev", "zlib1g-dev")),
    ("c-meson", "meson", ("mesonapp",), ("libcurl4-openssl-dev", "zlib1g-dev")),
    ("c-autotools", "autotools", ("autohello",), ("libxml2-dev", "zlib1g-dev")),
    ("c-make", "make", ("hello",), ("zlib1g-dev",)),
])
def test_c_projects(name, system, exes, dev):
    p = proj(name)
    assert (p.build_system, p.executables, p.libraries.dev_packages) == (system, exes, dev)
    assert p.cxx is False


def test_cmake_cxx_and_unknown_package(tmp_path):
    root = write(tmp_path, {
        "CMakeLists.txt": "project(gui CXX)\nfind_package(Frobnicate REQUIRED)\nadd_executable(gui main.cpp)\n",
        "main.cpp": "int main() {}\n",
    })
    p = detect(root)
    assert p.cxx and p.libraries.unknown == ("find_package(Frobnicate)",)


@pytest.mark.parametrize("files, lang", [
    ({"go.mod": "module a\n"}, "go"), ({"Cargo.toml": ""}, "rust"),
    ({"meson.build": ""}, "c"), ({"Makefile": ""}, "c"), ({"README": ""}, None),
])
def test_detect_lang(tmp_path, files, lang):
    assert detect_lang(write(tmp_path, files)) == lang


def test_undetectable_suggests_lang(tmp_path):
    with pytest.raises(XBuildError, match="pass --lang go|rust|c"):
        detect(str(tmp_path))
