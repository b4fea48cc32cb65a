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
  # running the viewer without a display (CI, screenshots)
  xvfb xauth
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
