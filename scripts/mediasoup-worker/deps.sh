#!/usr/bin/env bash
# Debian packages needed to build (and smoke-test) the mediasoup worker offline.
# Idempotent: when everything is already installed it only runs dpkg-query (no apt-get update).
set -euo pipefail

# Libraries that stand in for mediasoup's GitHub/wrapdb subprojects (see shims/subprojects/*/meson.build),
# the compiler toolchain, and ffmpeg (smoke test and integration tests feed it RTP).
# libsrtp is built from Debian's source package by libsrtp.sh (OpenSSL crypto instead of the package's
# NSS): dpkg-dev + xz-utils unpack it, debian-archive-keyring verifies its apt download; no libsrtp2-dev.
PKGS=(build-essential ninja-build pkg-config patch dpkg-dev xz-utils debian-archive-keyring
  libssl-dev libuv1-dev libabsl-dev flatbuffers-compiler libflatbuffers-dev
  ffmpeg)
# mediasoup's meson.build needs meson >= 1.1; bookworm ships 1.0.1, bookworm-backports has 1.7.
MESON_MIN=1.1

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
meson_ok() {
  installed meson &&
    dpkg --compare-versions "$(dpkg-query -W -f='${Version}' meson)" ge "$MESON_MIN"
}

missing=()
for p in "${PKGS[@]}"; do installed "$p" || missing+=("$p"); done
if meson_ok && [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=()
[ "$(id -u)" -eq 0 ] || SUDO=(sudo)

# Add bookworm-backports unless some active source already provides it.
# (Only *.list/*.sources are read by apt; ignore commented-out lines.)
if ! grep -Eqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
  /etc/apt/sources.list.d/*.sources; then
  echo "deps.sh: adding bookworm-backports (for meson >= $MESON_MIN)"
  "${SUDO[@]}" tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

echo "deps.sh: installing meson (backports) ${missing[*]}"
# Lock timeout: other apt users may be running on the same machine.
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
"${APT[@]}" update -qq
# pkg/release: only meson comes from backports, everything else (and meson's deps) from bookworm.
"${APT[@]}" install -y -qq --no-install-recommends meson/bookworm-backports "${missing[@]}"
meson_ok || { echo "deps.sh: meson >= $MESON_MIN still missing" >&2; exit 1; }
