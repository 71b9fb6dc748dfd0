"""The build-time platform mapping, run by a real POSIX shell for every platform of the table.

The rows and the derived values are executed as ``convert`` and ``init`` emit them
(only the install step is left out: it needs apt); what the environment file then
exports is checked against ``xbuild.platforms``.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from xbuild import crossmap
from xbuild.platforms import PLATFORMS

ALL = tuple(p.name for p in PLATFORMS if p.deb_arch)
NEEDS = {
    "rust": crossmap.Needs("rust", ("libssl-dev",)),
    "c": crossmap.Needs("c", ("zlib1g-dev",), cxx=True, meson=True, strip=True),
    "cgo": crossmap.Needs("cgo"),
}


def _env(lang: str, target: str, tmp_path, platforms=ALL) -> tuple[int, dict[str, str], str]:
    needs = NEEDS[lang]
    rows = crossmap.table(platforms, needs)
    env_file = tmp_path / "xbuild.env"
    derive = f"printf 'export %s\\n' {' '.join(crossmap.derived(needs))} > {env_file}"
    script = "set -e; " + "\n".join(rows) + f"\n{derive}\n. {env_file}\nenv"
    p = subprocess.run(["sh", "-c", script], capture_output=True, text=True,
                       env={"TARGETPLATFORM": target, "PATH": "/usr/bin:/bin"})
    env = dict(line.split("=", 1) for line in p.stdout.splitlines() if "=" in line)
    return p.returncode, env, p.stderr


@pytest.mark.parametrize("platform", ALL)
def test_rust_row_and_derived_values(platform, tmp_path):
    p = next(x for x in PLATFORMS if x.name == platform)
    rc, env, err = _env("rust", platform, tmp_path)
    assert rc == 0, err
    assert env["RUST_TARGET"] == p.rust_gnu
    linker = "CARGO_TARGET_" + p.rust_gnu.upper().replace("-", "_") + "_LINKER"
    assert env[linker] == f"{p.gnu_triple}-gcc"
    assert env["PKG_CONFIG_LIBDIR"].startswith(f"/usr/lib/{p.gnu_triple}/pkgconfig")


@pytest.mark.parametrize("platform", ALL)
def test_c_row_and_derived_values(platform, tmp_path):
    p = next(x for x in PLATFORMS if x.name == platform)
    rc, env, err = _env("c", platform, tmp_path)
    assert rc == 0, err
    assert env["GNU_TRIPLE"] == p.gnu_triple and env["CC"] == f"{p.gnu_triple}-gcc"
    assert env["CXX"] == f"{p.gnu_triple}-g++" and env["STRIP"] == f"{p.gnu_triple}-strip"
    assert env["CMAKE_CPU"] == p.cmake_cpu


def test_variant_of_a_platform_without_one_matches(tmp_path):
    rc, env, _ = _env("cgo", "linux/amd64/v3", tmp_path)
    assert rc == 0 and env["CC"] == "x86_64-linux-gnu-gcc"


def test_platform_not_converted_for_fails_clearly(tmp_path):
    rc, env, err = _env("rust", "linux/riscv64", tmp_path, ("linux/amd64", "linux/arm64"))
    assert rc == 1 and "RUST_TARGET" not in env
    assert "xbuild: linux/riscv64 is not in this table (--platforms)" in err


def test_armv6_row_fails_with_the_reason(tmp_path):
    rc, _, err = _env("c", "linux/arm/v6", tmp_path, ("linux/arm/v6",))
    assert rc == 1 and "Debian has no ARMv6 hard-float port" in err


def test_rows_hold_only_table_columns():
    rows = crossmap.table(("linux/amd64", "linux/arm/v7"), NEEDS["rust"])
    assert rows[1] == "linux/amd64*) set -- amd64 x86_64-linux-gnu x86_64-unknown-linux-gnu ;;"
    assert rows[2] == "linux/arm/v7) set -- armhf arm-linux-gnueabihf armv7-unknown-linux-gnueabihf ;;"


@pytest.mark.parametrize("lang", sorted(NEEDS))
def test_every_line_fits(lang):
    for line in crossmap.shell_lines(ALL, NEEDS[lang]):
        assert len(line) + len(" \\") <= 120 - len("RUN ") or line.startswith("    "), line
        assert len(line) + 2 <= 120, line


# Ubuntu images as shipped: 24.04 keeps its sources in deb822 form, 22.04 one per line.
_NOBLE_SOURCES = """Types: deb
URIs: http://archive.ubuntu.com/ubuntu/
Suites: noble noble-updates noble-backports
Components: main universe restricted multiverse
Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg

Types: deb
URIs: http://security.ubuntu.com/ubuntu/
Suites: noble-security
Components: main universe restricted multiverse
Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg
"""
_JAMMY_LIST = """# See http://help.ubuntu.com/community/UpgradeNotes
deb http://archive.ubuntu.com/ubuntu/ jammy main restricted
deb http://archive.ubuntu.com/ubuntu/ jammy-updates main restricted
deb http://security.ubuntu.com/ubuntu/ jammy-security main restricted
"""


def _run_ubuntu_sources(tmp_path, codename: str, target: str) -> subprocess.CompletedProcess[str]:
    script = "; ".join(["set -e"] + crossmap.ubuntu_sources(str(tmp_path)))
    return subprocess.run(["sh", "-c", script, "sh", target], capture_output=True, text=True)


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs dpkg (Debian/Ubuntu host)")
@pytest.mark.parametrize("release", ["noble", "jammy"])
def test_ubuntu_sources_add_ports_for_a_foreign_target(tmp_path, release):
    """The shell runs for real (sh, sed, dpkg of this machine) on both formats."""
    build = subprocess.run(["dpkg", "--print-architecture"], capture_output=True,
                           text=True).stdout.strip()
    target = "arm64" if build in ("amd64", "i386") else "amd64"
    (tmp_path / "apt/sources.list.d").mkdir(parents=True)
    (tmp_path / "os-release").write_text(f"VERSION_CODENAME={release}\n")
    if release == "noble":
        (tmp_path / "apt/sources.list.d/ubuntu.sources").write_text(_NOBLE_SOURCES)
        (tmp_path / "apt/sources.list").write_text("# moved to ubuntu.sources\n")
    else:
        (tmp_path / "apt/sources.list").write_text(_JAMMY_LIST)
    p = _run_ubuntu_sources(tmp_path, release, target)
    assert p.returncode == 0, p.stderr
    added = (tmp_path / "apt/sources.list.d/xbuild-target.list").read_text().splitlines()
    mirror = crossmap.UBUNTU_PORTS if target == "arm64" else crossmap.UBUNTU_ARCHIVE
    assert added == [f"deb [arch={target} signed-by={crossmap.UBUNTU_KEYRING}] {mirror} {s} "
                     "main universe" for s in (release, f"{release}-updates", f"{release}-security")]
    if release == "noble":
        text = (tmp_path / "apt/sources.list.d/ubuntu.sources").read_text()
        assert text.count(f"Types: deb\nArchitectures: {build}\n") == 2
    else:
        lines = (tmp_path / "apt/sources.list").read_text().splitlines()
        assert lines[0].startswith("#")
        assert all(ln.startswith(f"deb [arch={build}] http") for ln in lines[1:])


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs dpkg (Debian/Ubuntu host)")
def test_ubuntu_sources_leave_apt_alone_when_the_archive_is_the_same(tmp_path):
    build = subprocess.run(["dpkg", "--print-architecture"], capture_output=True,
                           text=True).stdout.strip()
    (tmp_path / "apt").mkdir()
    (tmp_path / "apt/sources.list").write_text(_JAMMY_LIST)
    p = _run_ubuntu_sources(tmp_path, "jammy", build)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "apt/sources.list").read_text() == _JAMMY_LIST
    assert not (tmp_path / "apt/sources.list.d").exists()
