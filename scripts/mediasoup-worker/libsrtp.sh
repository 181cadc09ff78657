#!/usr/bin/env bash
# Build libsrtp2 from Debian's own source package with the OpenSSL crypto backend, as a static
# library for mediasoup-worker (build.sh calls this; the libsrtp3 shim links the result).
#
# Usage: libsrtp.sh <install-prefix> <scratch-dir>
#   installs <install-prefix>/include/srtp2/*.h and <install-prefix>/lib/libsrtp2.a
#
# Why: Debian builds its libsrtp2 package with NSS (debian/rules: --enable-nss), whose per-packet
# crypto is several times slower than OpenSSL's (AES-CM + HMAC-SHA1 most of all). Upstream
# mediasoup builds libsrtp with OpenSSL; so do we, from the very source Debian ships (2.5.0-3:
# upstream 2.5.0 + Debian's patches, which only touch tests and docs), with Debian's libssl-dev.
#
# Source: `apt-get source --download-only` through a private apt configuration (deb-src for
# bookworm, verified by apt against Debian's signed Release file; the machine's apt setup is not
# touched), falling back to the exact pool files. The three files are checked against the SHA-256
# sums pinned below and cached in ${XDG_CACHE_HOME:-$HOME/.cache}/confab/libsrtp2-source/<version>/,
# so later builds are offline. Changing the version or the build flags here changes the worker's
# cache key (cache-key.mjs hashes this file).
# Needs: dpkg-dev (dpkg-source), xz-utils, gcc/make, libssl-dev (deps.sh installs them).
set -euo pipefail

VERSION=2.5.0-3 # Debian bookworm's libsrtp2
MIRROR=http://deb.debian.org/debian
POOL=$MIRROR/pool/main/libs/libsrtp2
# name sha256 (the .dsc's own sums for the other two; the .dsc is pinned as well)
FILES=(
  "libsrtp2_2.5.0-3.dsc 3b77c17dc1cf3135fbdaaf4cb0c5f4ae69793dd4cea63b9e466286e7687c861e"
  "libsrtp2_2.5.0.orig.tar.gz 8a43ef8e9ae2b665292591af62aa1a4ae41e468b6d98d8258f91478735da4e09"
  "libsrtp2_2.5.0-3.debian.tar.xz 3a3cafa12033d32cd0d5ad4d78f102bc6d998f7d67a17f262c436d0734865af4"
)

log() { echo "[libsrtp] $*"; }

# verify <dir>: all pinned files present with the pinned sums
verify() {
  local f name sum
  for f in "${FILES[@]}"; do
    read -r name sum <<<"$f"
    [ -f "$1/$name" ] && [ "$(sha256sum "$1/$name" | cut -d' ' -f1)" = "$sum" ] || return 1
  done
}

# download_apt <dir>: apt-get source through a private, source-only apt configuration.
download_apt() {
  local dir=$1 apt=$1/.apt
  mkdir -p "$apt"/{lists/partial,cache/archives/partial,etc/sources.list.d,etc/preferences.d}
  : >"$apt/etc/sources.list"
  cat >"$apt/etc/sources.list.d/bookworm-src.sources" <<SRC
Types: deb-src
URIs: $MIRROR
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  # APT::Sandbox::User: as root, apt would download as user _apt, which cannot enter the cache under
  # /root (it then warns and downloads as root anyway). Integrity does not depend on it: apt checks
  # the signed Release -> Sources -> file hashes, and verify() the pinned sums.
  local opts=(-q -o "Dir::Etc::SourceList=$apt/etc/sources.list" -o "Dir::Etc::SourceParts=$apt/etc/sources.list.d"
    -o "Dir::Etc::Preferences=$apt/etc/preferences" -o "Dir::Etc::PreferencesParts=$apt/etc/preferences.d"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o Debug::NoLocking=1
    -o "APT::Sandbox::User=$(id -un)")
  apt-get "${opts[@]}" update &&
    (cd "$dir" && apt-get "${opts[@]}" source --download-only "libsrtp2=$VERSION")
}

# download_pool <dir>: the same files straight from the pool, each checked against its pinned sum.
download_pool() {
  local f name sum
  for f in "${FILES[@]}"; do
    read -r name sum <<<"$f"
    /usr/lib/apt/apt-helper -q -o "APT::Sandbox::User=$(id -un)" download-file "$POOL/$name" "$1/$name" "SHA256:$sum" || return 1
  done
}

# fetch_source: prints the cache directory holding the verified source files.
fetch_source() {
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/confab/libsrtp2-source/$VERSION" tmp
  if verify "$cache"; then
    echo "$cache"
    return
  fi
  mkdir -p "$(dirname "$cache")"
  tmp="$(mktemp -d "$cache.tmp.XXXXXX")"
  log "downloading Debian source libsrtp2 $VERSION (apt-get source)" >&2
  if ! { download_apt "$tmp" >&2 && verify "$tmp"; }; then
    log "apt-get source failed or gave other files; trying $POOL" >&2
    download_pool "$tmp" >&2 && verify "$tmp" || {
      rm -rf "$tmp"
      echo "libsrtp.sh: cannot get libsrtp2 $VERSION with the pinned checksums (superseded in bookworm? then update VERSION and FILES)" >&2
      return 1
    }
  fi
  rm -rf "$tmp/.apt"
  # Atomic publish; if a concurrent build published first, keep theirs (same pinned files).
  if ! mv -T "$tmp" "$cache" 2>/dev/null; then
    rm -rf "$tmp"
    verify "$cache" || { echo "libsrtp.sh: $cache is incomplete" >&2; return 1; }
  fi
  echo "$cache"
}

main() {
  if [ $# -ne 2 ]; then
    echo "usage: $0 <install-prefix> <scratch-dir>" >&2
    exit 2
  fi
  local prefix scratch srcdir t0=$SECONDS
  prefix="$(realpath -m "$1")"
  scratch="$(realpath -m "$2")"
  local cache
  cache="$(fetch_source)"

  rm -rf "$scratch"
  mkdir -p "$scratch"
  srcdir="$scratch/libsrtp2-$VERSION"
  # Unpacks orig + debian tarballs and applies debian/patches. --no-check: the files were checked
  # against the pinned sums above (dpkg-source would only add "cannot verify signature": no keyring
  # of Debian developers is installed).
  dpkg-source --no-check -x "$cache/libsrtp2_$VERSION.dsc" "$srcdir" >/dev/null

  # Debian's configure options minus NSS, plus OpenSSL (libcrypto from libssl-dev, the same library
  # mediasoup's DTLS uses). No shared library, no pcap tests. -fPIC: the worker is a PIE.
  # --enable-openssl-kdf stays off: it needs an OpenSSL fork (mediasoup disables it as well).
  log "configure --enable-openssl"
  (cd "$srcdir" && ./configure --enable-openssl --disable-pcap --prefix="$prefix" \
    CFLAGS="-O2 -fPIC -g -D_REENTRANT" >"$scratch/configure.log" 2>&1) ||
    { tail -n 30 "$scratch/configure.log" >&2; exit 1; }
  grep -q '^#define OPENSSL 1' "$srcdir/crypto/include/config.h" ||
    { echo "libsrtp.sh: configure did not enable the OpenSSL backend" >&2; exit 1; }
  grep -q '^#define GCM 1' "$srcdir/crypto/include/config.h" ||
    { echo "libsrtp.sh: configure did not enable AES-GCM" >&2; exit 1; }

  log "make libsrtp2.a + self-tests"
  (cd "$srcdir" && make -j "$(nproc)" libsrtp2.a test >"$scratch/make.log" 2>&1) ||
    { tail -n 30 "$scratch/make.log" >&2; exit 1; }
  # Known-answer tests of the ciphers/HMAC (now OpenSSL's), the crypto kernel and SRTP itself.
  local t
  for t in crypto/test/cipher_driver crypto/test/kernel_driver test/srtp_driver test/rdbx_driver; do
    (cd "$srcdir" && "./$t" -v >"$scratch/$(basename "$t").log" 2>&1) ||
      { tail -n 20 "$scratch/$(basename "$t").log" >&2; echo "libsrtp.sh: $t failed" >&2; exit 1; }
  done
  grep -q 'AES-256 GCM using openssl' "$scratch/cipher_driver.log" ||
    { echo "libsrtp.sh: the self-test did not run OpenSSL's AES-GCM" >&2; exit 1; }

  rm -rf "$prefix"
  (cd "$srcdir" && make install >"$scratch/install.log" 2>&1) || { tail -n 20 "$scratch/install.log" >&2; exit 1; }
  [ -f "$prefix/lib/libsrtp2.a" ] && [ -f "$prefix/include/srtp2/srtp.h" ] ||
    { echo "libsrtp.sh: install incomplete" >&2; exit 1; }
  log "installed $prefix (libsrtp2 $VERSION, OpenSSL backend, static) in $((SECONDS - t0)) s"
}

main "$@"
exit
