#!/usr/bin/env bash
# Installs what is needed, builds the release preset and opens the viewer on the C++ demo workload.
#
#   run-demo.sh [VIEWER ARGS...]         start weft-demo serving live, and attach the viewer to it;
#                                        the demo is stopped when the viewer closes
#   run-demo.sh --file [VIEWER ARGS...]  record a demo trace to a file first and open that instead
#
# Set WEFT_DEMO_TRACE to choose the file of --file (default build/release/demo.weft), and
# WEFT_SKIP_BUILD=1 to use what is already built.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=live
if [[ "${1:-}" == "--file" ]]; then
    mode=file
    shift
fi

if [[ "${WEFT_SKIP_BUILD:-0}" != 1 ]]; then
    ./packaging/install-deps.sh
    cmake --preset release
    cmake --build --preset release --target weft weft-cli weft-demo
fi
build="${WEFT_BUILD_DIR:-build/release}"
demo="$build/agents/cpp/weft-demo"
viewer="$build/app/gui/weft"

if [[ "$mode" == file ]]; then
    trace="${WEFT_DEMO_TRACE:-$build/demo.weft}"
    "$demo" --output "$trace"
    exec "$viewer" "$trace" "$@"
fi

# Live: the demo serves on its default Unix socket and announces itself with a discovery file.
"$demo" --listen unix --forever >/dev/null &
demo_pid=$!
stop_demo() {
    if kill -0 "$demo_pid" 2>/dev/null; then
        kill -TERM "$demo_pid" 2>/dev/null || true
        wait "$demo_pid" 2>/dev/null || true
    fi
}
trap stop_demo EXIT
trap 'exit 130' INT TERM

# The discovery folder of docs/FORMAT.md: $XDG_RUNTIME_DIR/weft, or /tmp/weft-UID without it.
if [[ -n "${XDG_RUNTIME_DIR:-}" ]]; then
    runtime="$XDG_RUNTIME_DIR/weft"
else
    runtime="/tmp/weft-$(id -u)"
fi
discovery="$runtime/$demo_pid.json"
for _ in $(seq 1 100); do
    [[ -s "$discovery" ]] && break
    if ! kill -0 "$demo_pid" 2>/dev/null; then
        echo "run-demo.sh: weft-demo exited before it started serving" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ ! -s "$discovery" ]]; then
    echo "run-demo.sh: weft-demo did not write $discovery within 10 s" >&2
    exit 1
fi
# Not exec: the trap must outlive the viewer to stop the demo.
"$viewer" --attach "$demo_pid" "$@"
