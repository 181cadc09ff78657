#!/usr/bin/env bash
# Build mediasoup-worker offline from the npm package's C++ sources and Debian's libraries.
#
# Usage: build.sh <path/to/node_modules/mediasoup> <output-binary-path>
#
# Why: mediasoup's postinstall downloads a prebuilt worker from GitHub, and its meson fallback
# downloads the subprojects (libuv, openssl, libsrtp3, ...) from GitHub/wrapdb. Neither is reachable
# here. So: copy worker/ out of node_modules (which stays pristine), swap every subprojects/*.wrap for
# our shim subprojects backed by Debian packages (deps.sh installs them), apply our patches, build.
# libsrtp is the exception: Debian's package uses NSS crypto, slow per packet, so libsrtp.sh builds
# Debian's libsrtp2 source with OpenSSL into the libsrtp3 shim, and the worker links it statically.
# Takes ~7 min on 2 idle cores.
#
# Env: MS_WORKER_SKIP_IF_OK=1      skip the build if <output> exists and runs once we hold the lock
#                                  (set by ensure.mjs, so two concurrent `npm test` runs build once).
#      MS_WORKER_KEEP_BUILD_DIR=1  keep the work dir (for debugging).
set -euo pipefail

log() { echo "[mediasoup-worker build] $*"; }
step() { # step <name> <cmd...>: run and print how long it took
  local name=$1 s=$SECONDS
  shift
  log "$name ..."
  "$@"
  log "$name: $((SECONDS - s)) s"
}
cleanup() {
  if [ "${MS_WORKER_KEEP_BUILD_DIR:-}" = 1 ]; then log "kept work dir $WORK"; else rm -rf "$WORK"; fi
}

# Everything runs inside main, which bash parses completely before running it: bash reads a script
# as it executes, so editing this file (or a git checkout) during the build would otherwise make it
# run garbage.
main() {
  if [ $# -ne 2 ]; then
    echo "usage: $0 <path/to/node_modules/mediasoup> <output-binary-path>" >&2
    exit 2
  fi
  local here ms_pkg out_bin version src build t0=$SECONDS
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  ms_pkg="$(cd "$1" && pwd)"
  out_bin="$(realpath -m "$2")"
  [ -f "$ms_pkg/worker/meson.build" ] || { echo "build.sh: no worker/meson.build in $ms_pkg" >&2; exit 1; }
  version="$(sed -nE 's/^\s*"version":\s*"([^"]+)".*/\1/p' "$ms_pkg/package.json" | head -n1)"

  # Serialize builds writing the same output (the lock is released when this shell exits).
  mkdir -p "$(dirname "$out_bin")"
  exec 9>"$out_bin.lock"
  flock 9
  if [ "${MS_WORKER_SKIP_IF_OK:-}" = 1 ] && [ -f "$out_bin" ]; then
    # Same liveness probe as ensure.mjs: without MEDIASOUP_VERSION a working worker exits 41.
    local rc=0
    env -i "$out_bin" >/dev/null 2>&1 || rc=$?
    if [ "$rc" -eq 41 ]; then
      log "$out_bin works (built by another process meanwhile?): nothing to do"
      exit 0
    fi
  fi

  local cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/confab"
  mkdir -p "$cache_root"
  WORK="$(mktemp -d "$cache_root/mediasoup-worker-build.XXXXXX")" # global: used by cleanup
  trap cleanup EXIT
  src="$WORK/worker"
  build="$src/out/Release"
  log "mediasoup $version from $ms_pkg, work dir $WORK, $(nproc) cores"

  cp -a "$ms_pkg/worker" "$src"
  # The original wraps point at upstream sources that cannot be downloaded here. Keep them aside
  # (for reference); the shims provide the same subproject names.
  mkdir -p "$src/subprojects/orig-wraps"
  mv "$src"/subprojects/*.wrap "$src/subprojects/orig-wraps/"
  cp -a "$here/shims/subprojects/." "$src/subprojects/"
  local p
  for p in "$here"/patches/*.patch; do
    log "patch $(basename "$p")"
    patch -p1 --forward --silent -d "$src" <"$p"
  done

  # libsrtp2 with OpenSSL crypto (~10 s; the Debian source is cached after the first download).
  step "libsrtp2 (Debian source, OpenSSL backend)" \
    bash "$here/libsrtp.sh" "$src/subprojects/libsrtp3/libsrtp2" "$WORK/libsrtp-build"

  # Same flags as mediasoup's tasks.py release build. --wrap-mode=nodownload: any attempt to fetch a
  # subproject fails at once instead of trying the network.
  step "meson setup" meson setup --buildtype release -Db_ndebug=true --wrap-mode=nodownload "$build" "$src"
  # The generated FBS/*.h headers are not a declared dependency of every source that includes them,
  # so generate them first (tasks.py does the same).
  step "flatc (flatbuffers-generator)" meson compile -C "$build" flatbuffers-generator
  step "compile mediasoup-worker" meson compile -C "$build" -j "$(nproc)" mediasoup-worker

  # What libsrtp.sh is for: SRTP on OpenSSL, linked in statically; neither Debian's libsrtp2.so
  # nor NSS may sneak in (e.g. through a header/library search-path mix-up).
  if ldd "$build/mediasoup-worker" | grep -E 'libsrtp2|libnss3|libnspr4'; then
    echo "build.sh: mediasoup-worker links Debian's libsrtp2/NSS (see above), expected static OpenSSL libsrtp2" >&2
    exit 1
  fi
  grep -aq 'AES-256 GCM using openssl' "$build/mediasoup-worker" ||
    { echo "build.sh: libsrtp2's OpenSSL AES-GCM is not in mediasoup-worker" >&2; exit 1; }

  # Atomic install: a concurrent reader sees either the old binary or the complete new one.
  local tmp="$out_bin.tmp.$$"
  install -m 0755 "$build/mediasoup-worker" "$tmp"
  mv -f "$tmp" "$out_bin"
  log "installed $out_bin ($(du -h "$out_bin" | cut -f1)), total $((SECONDS - t0)) s"
}

WORK=""
main "$@"
exit
