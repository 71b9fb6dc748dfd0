"""The build-time platform mapping, run by a real POSIX shell for every platform of the table.

The rows and the derived values are executed as ``convert`` and ``init`` emit them
(only the install step is left out: it needs apt); what the environment file then
exports is checked against ``xbuild.platforms``.
"""

from __future__ import annotations

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
