#!/usr/bin/env bash
# Installs what is needed, builds everything (dev preset: RelWithDebInfo) and runs every test:
# unit (core), widgets (QtTest, offscreen), integration (CLI, agents, live attach) and the fuzz replay.
set -euo pipefail
cd "$(dirname "$0")/.."
./packaging/install-deps.sh
cmake --preset dev
cmake --build --preset dev
export QT_QPA_PLATFORM=offscreen
ctest --preset dev -j2 "$@"
