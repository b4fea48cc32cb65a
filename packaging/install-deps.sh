#!/usr/bin/env bash
# Installs every system package Weft needs to build, test and run, from Debian's archive.
# Why each one is there is written in docs/ARCHITECTURE.md ("Dependencies").
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config
  # core
  libcbor-dev libzstd-dev uuid-dev zlib1g-dev rapidjson-dev libcli11-dev
  # reading Chrome trace-event JSON
  libsimdjson-dev
  # faster frame checksums (optional to the build: zlib computes the same)
  libisal-dev
  # viewer
  qt6-base-dev qt6-charts-dev libgl-dev
  # Qt Charts needs Qt OpenGL's CMake package, which qt6-base-dev only recommends
  libqt6opengl6-dev
  # SVG icons of the toolbar (Qt image-format plugin)
  libqt6svg6
  # tests and benchmarks
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  # Python agent: optional accelerators it uses when importable, and the interpreter it is tested with
  python3 python3-cbor2 python3-zstandard
  # its native hot path (weft_asyncio._speedups), built against Debian's Python
  python3-dev
  # running the viewer without a display (CI, screenshots)
  xvfb xauth
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# CPython's own asyncio tests, which the Python agent is tested under: the package is named
# after the interpreter's version (libpython3.11-testsuite on Debian 12).
suite="libpython$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')-testsuite"
if ! dpkg-query -W -f='${Status}' "$suite" 2>/dev/null | grep -q "install ok installed"; then
  echo "install-deps: installing $suite"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$suite"
fi
