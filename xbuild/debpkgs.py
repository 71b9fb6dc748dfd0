"""C libraries -> Debian packages: the one table ``xbuild init`` reads.

A project names a C library in one of several spellings - a linker flag
(``-lsqlite3``), a pkg-config module (``sqlite3``), a CMake package
(``find_package(SQLite3)``), a Rust ``-sys`` crate (``libsqlite3-sys``). Each
entry below lists every spelling of one library with the Debian packages that
provide its headers (``dev``, installed as ``dev:<debarch>`` for the target) and
its shared object at run time (``runtime``, installed in the final image;
``None`` when the library is already in ``debian:12-slim``).

Package names are Debian 12 (bookworm), the release of the ``-bookworm`` build
images and of ``debian:12-slim``: https://packages.debian.org/bookworm/ .
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CLib:
    key: str  # our name for the library
    dev: str  # Debian package with headers, .so link and .pc file (Multi-Arch: same)
    runtime: str | None  # package the binary needs at run time; None: in debian:12-slim
    link: tuple[str, ...] = ()  # -l names
    pkgconfig: tuple[str, ...] = ()  # pkg-config module names (also meson dependency())
    cmake: tuple[str, ...] = ()  # find_package() names
    crates: tuple[str, ...] = ()  # Rust -sys crates that link it from the system


LIBS: tuple[CLib, ...] = (
    CLib("zlib", "zlib1g-dev", None, ("z",), ("zlib",), ("ZLIB",), ("libz-sys",)),
    CLib("sqlite3", "libsqlite3-dev", "libsqlite3-0", ("sqlite3",), ("sqlite3",), ("SQLite3",),
         ("libsqlite3-sys",)),
    CLib("openssl", "libssl-dev", "libssl3", ("ssl", "crypto"), ("openssl", "libssl", "libcrypto"),
         ("OpenSSL",), ("openssl-sys",)),
    CLib("curl", "libcurl4-openssl-dev", "libcurl4", ("curl",), ("libcurl",), ("CURL",), ("curl-sys",)),
    CLib("pcap", "libpcap-dev", "libpcap0.8", ("pcap",), ("libpcap",), ("PCAP",), ("pcap-sys",)),
    CLib("pq", "libpq-dev", "libpq5", ("pq",), ("libpq",), ("PostgreSQL",), ("pq-sys",)),
    CLib("png", "libpng-dev", "libpng16-16", ("png", "png16"), ("libpng", "libpng16"), ("PNG",)),
    CLib("jpeg", "libjpeg62-turbo-dev", "libjpeg62-turbo", ("jpeg",), ("libjpeg",), ("JPEG",)),
    CLib("xml2", "libxml2-dev", "libxml2", ("xml2",), ("libxml-2.0",), ("LibXml2",)),
    CLib("ffi", "libffi-dev", "libffi8", ("ffi",), ("libffi",), ()),
    CLib("uuid", "uuid-dev", "libuuid1", ("uuid",), ("uuid",), ()),
    CLib("zstd", "libzstd-dev", "libzstd1", ("zstd",), ("libzstd",), ("zstd",), ("zstd-sys",)),
    CLib("lzma", "liblzma-dev", "liblzma5", ("lzma",), ("liblzma",), ("LibLZMA",), ("lzma-sys",)),
    CLib("bz2", "libbz2-dev", "libbz2-1.0", ("bz2",), (), ("BZip2",), ("bzip2-sys",)),
    CLib("yaml", "libyaml-dev", "libyaml-0-2", ("yaml",), ("yaml-0.1",), ()),
    CLib("event", "libevent-dev", "libevent-2.1-7", ("event",), ("libevent",), ("Libevent",)),
    CLib("uv", "libuv1-dev", "libuv1", ("uv",), ("libuv",), ("libuv",)),
    CLib("readline", "libreadline-dev", "libreadline8", ("readline",), ("readline",), ()),
    CLib("ncurses", "libncurses-dev", "libncursesw6", ("ncurses", "ncursesw"), ("ncurses", "ncursesw"),
         ("Curses",)),
    CLib("udev", "libudev-dev", "libudev1", ("udev",), ("libudev",), (), ("libudev-sys",)),
    CLib("dbus", "libdbus-1-dev", "libdbus-1-3", ("dbus-1",), ("dbus-1",), (), ("libdbus-sys",)),
    CLib("alsa", "libasound2-dev", "libasound2", ("asound",), ("alsa",), ("ALSA",), ("alsa-sys",)),
    CLib("mysql", "default-libmysqlclient-dev", "libmariadb3", ("mysqlclient", "mariadb"),
         ("mysqlclient", "libmariadb"), (), ("mysqlclient-sys",)),
    CLib("gmp", "libgmp-dev", "libgmp10", ("gmp",), ("gmp",), ()),
    CLib("expat", "libexpat1-dev", "libexpat1", ("expat",), ("expat",), ("EXPAT",)),
    CLib("protobuf", "libprotobuf-dev", "libprotobuf32", ("protobuf",), ("protobuf",), ("Protobuf",)),
    CLib("boost", "libboost-dev", None, (), (), ("Boost",)),  # header-only part
    CLib("threads", "libc6-dev", None, (), (), ("Threads",)),  # in every toolchain
)

# Parts of the C library itself (glibc's libc6-dev comes with every toolchain):
# nothing to install, nothing to report as unknown.
LIBC_LINK_NAMES = frozenset({"c", "m", "pthread", "dl", "rt", "util", "resolv", "crypt", "stdc++", "gcc"})

# Rust crates whose Cargo feature builds the C library from bundled sources instead
# of linking the system one: no -dev package needed then (a C cross compiler still is).
RUST_BUNDLING_FEATURES: dict[str, tuple[tuple[str, str], ...]] = {
    # sys crate: ((crate whose dependency entry may carry the feature, feature), ...)
    "libsqlite3-sys": (("rusqlite", "bundled"), ("libsqlite3-sys", "bundled"),
                       ("sqlx", "sqlite"), ("diesel", "sqlite-bundled")),
    "openssl-sys": (("openssl", "vendored"), ("openssl-sys", "vendored"), ("native-tls", "vendored"),
                    ("reqwest", "native-tls-vendored")),
    "libz-sys": (("libz-sys", "static"), ("flate2", "zlib-ng"),),
    "curl-sys": (("curl", "static-curl"), ("curl-sys", "static-curl")),
}
# Rust crates that build bundled C sources unless a feature asks for the system
# library: (crate, feature) pairs that switch to the system one.
RUST_SYSTEM_FEATURES: dict[str, tuple[tuple[str, str], ...]] = {
    "zstd-sys": (("zstd-sys", "pkg-config"), ("zstd", "pkg-config")),
}
# Rust crates whose build script compiles C (or assembly) for the target, so a
# moved build needs a C cross compiler (CC_<triple>) even with no -dev package.
# Every -sys crate built from bundled sources does too.
RUST_CC_CRATES: dict[str, str] = {
    "ring": "compiles C and assembly for the target",
    "aws-lc-sys": "compiles AWS-LC (C) for the target; CMake on some targets",
    "aws-lc-fips-sys": "compiles AWS-LC with CMake and Go for the target",
    "openssl-src": "compiles OpenSSL for the target",
    "tikv-jemalloc-sys": "compiles jemalloc (configure + make) for the target",
    "jemalloc-sys": "compiles jemalloc (configure + make) for the target",
    "libmimalloc-sys": "compiles mimalloc for the target",
    "librocksdb-sys": "compiles RocksDB (C++) for the target",
    "rdkafka-sys": "compiles librdkafka for the target",
    "psm": "compiles assembly for the target",
    "blake3": "compiles C SIMD code for the target",
    "lz4-sys": "compiles LZ4 for the target",
    "libgit2-sys": "compiles libgit2 for the target unless the system one is found",
    "libssh2-sys": "compiles libssh2 for the target unless the system one is found",
}

# Go modules that only work with cgo (a CGO_ENABLED=0 build compiles their stubs
# and fails at run time), with the Debian -dev packages they need for the target
# (empty: they compile bundled C sources; a C cross compiler is still needed).
# Major versions (``.../v2``) match too (xbuild.evidence.go.cgo_module).
GO_CGO_MODULES: dict[str, tuple[str, ...]] = {
    "github.com/mattn/go-sqlite3": (),  # bundles the SQLite amalgamation
    "github.com/miekg/pkcs11": (),  # dlopens the PKCS#11 module through cgo
    "github.com/confluentinc/confluent-kafka-go": (),  # links a bundled librdkafka
}
# Packages (not modules) that only work with cgo: their module also has pure-Go
# packages, so only an import in the sources proves the need.
GO_CGO_PACKAGES: dict[str, tuple[str, ...]] = {
    "github.com/google/gopacket/pcap": ("libpcap-dev",),
}


def _index(attr: str) -> dict[str, CLib]:
    out: dict[str, CLib] = {}
    for lib in LIBS:
        for name in getattr(lib, attr):
            out.setdefault(name if attr != "cmake" else name.lower(), lib)
    return out


_BY_LINK = _index("link")
_BY_PKGCONFIG = _index("pkgconfig")
_BY_CMAKE = _index("cmake")
_BY_CRATE = _index("crates")


def by_link(name: str) -> CLib | None:
    """The library for a ``-l<name>`` flag."""
    return _BY_LINK.get(name)


def by_pkgconfig(name: str) -> CLib | None:
    """The library for a pkg-config module (``sqlite3``, ``libcurl``)."""
    return _BY_PKGCONFIG.get(name)


def by_cmake(name: str) -> CLib | None:
    """The library for a ``find_package(<name>)`` (CMake names are case-insensitive here)."""
    return _BY_CMAKE.get(name.lower())


def by_crate(name: str) -> CLib | None:
    """The library a Rust ``-sys`` crate links from the system."""
    return _BY_CRATE.get(name)
