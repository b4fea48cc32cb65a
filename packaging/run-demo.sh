#!/usr/bin/env bash
# Installs what is needed, builds the release preset, records a trace of the C++ demo workload and
# opens it in the viewer. Extra arguments go to the viewer.
set -euo pipefail
cd "$(dirname "$0")/.."
./packaging/install-deps.sh
cmake --preset release
cmake --build --preset release --target weft weft-cli weft-demo
trace="${WEFT_DEMO_TRACE:-build/release/demo.weft}"
./build/release/agents/cpp/weft-demo --output "$trace"
exec ./build/release/app/gui/weft "$trace" "$@"
