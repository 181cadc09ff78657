#!/usr/bin/env bash
# Build mediasoup-worker offline from the npm package's C++ sources and Debian's libraries.
#
# Usage: build.sh <path/to/node_modules/mediasoup> <output-binary-path>
#
# Why: mediasoup's postinstall downloads a prebuilt worker from GitHub, and its meson fallback
# downloads the subprojects (libuv, openssl, libsrtp3, ...) from GitHub/wrapdb. Neither is reachable
# here. So: copy worker/ out of node_modules (which stays pristine), swap every subprojects/*.wrap for
# our shim subprojects backed by Debian packages (deps.sh installs them), apply our patches, build.
#
# Env: MS_WORKER_SKIP_IF_OK=1      skip the build if <output> exists and runs once we hold the lock
#                                  (set by ensure.mjs, so two concurrent `npm test` runs build once).
#      MS_WORKER_KEEP_BUILD_DIR=1  keep the work dir (for debugging).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 <path/to/node_modules/mediasoup> <output-binary-path>" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MS_PKG="$(cd "$1" && pwd)"
OUT_BIN="$2"
[ -f "$MS_PKG/worker/meson.build" ] || { echo "build.sh: no worker/meson.build in $MS_PKG" >&2; exit 1; }
MS_VERSION="$(sed -nE 's/^\s*"version":\s*"([^"]+)".*/\1/p' "$MS_PKG/package.json" | head -n1)"

log() { echo "[mediasoup-worker build] $*"; }
t0=$SECONDS
step() { # step <name> <cmd...>: run and print how long it took
  local name=$1 s=$SECONDS
  shift
  log "$name ..."
  "$@"
  log "$name: $((SECONDS - s)) s"
}

# Serialize builds writing the same output (flock is released when this shell exits).
mkdir -p "$(dirname "$OUT_BIN")"
exec 9>"$OUT_BIN.lock"
flock 9
if [ "${MS_WORKER_SKIP_IF_OK:-}" = 1 ] && [ -f "$OUT_BIN" ]; then
  # Same liveness probe as ensure.mjs: without MEDIASOUP_VERSION a working worker exits 41.
  rc=0
  env -i "$OUT_BIN" >/dev/null 2>&1 || rc=$?
  if [ "$rc" -eq 41 ]; then
    log "$OUT_BIN works (built by another process meanwhile?): nothing to do"
    exit 0
  fi
fi

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/confab"
mkdir -p "$CACHE_ROOT"
WORK="$(mktemp -d "$CACHE_ROOT/mediasoup-worker-build.XXXXXX")"
cleanup() {
  if [ "${MS_WORKER_KEEP_BUILD_DIR:-}" = 1 ]; then log "kept work dir $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
SRC="$WORK/worker"
BUILD="$SRC/out/Release"
log "mediasoup $MS_VERSION from $MS_PKG, work dir $WORK, $(nproc) cores"

cp -a "$MS_PKG/worker" "$SRC"
# The original wraps would make meson look for (and, being unable to download, fail on) upstream
# sources. Keep them aside for reference; the shims provide the same subproject names.
mkdir -p "$SRC/subprojects/orig-wraps"
mv "$SRC"/subprojects/*.wrap "$SRC/subprojects/orig-wraps/"
cp -a "$HERE/shims/subprojects/." "$SRC/subprojects/"
for p in "$HERE"/patches/*.patch; do
  log "patch $(basename "$p")"
  patch -p1 --forward --silent -d "$SRC" <"$p"
done

# Same flags as mediasoup's tasks.py release build; --wrap-mode=nodownload makes any attempt to fetch
# a subproject fail loudly instead of hanging on the network.
step "meson setup" meson setup --buildtype release -Db_ndebug=true --wrap-mode=nodownload \
  "$BUILD" "$SRC"
# The generated FBS/*.h headers are not a declared dependency of every source that includes them,
# so generate them first (tasks.py does the same).
step "flatc (flatbuffers-generator)" meson compile -C "$BUILD" flatbuffers-generator
step "compile mediasoup-worker" meson compile -C "$BUILD" -j "$(nproc)" mediasoup-worker

# Atomic install: a concurrent reader sees either the old binary or the complete new one.
tmp="$OUT_BIN.tmp.$$"
install -m 0755 "$BUILD/mediasoup-worker" "$tmp"
mv -f "$tmp" "$OUT_BIN"
log "installed $OUT_BIN ($(du -h "$OUT_BIN" | cut -f1)), total $((SECONDS - t0)) s"
