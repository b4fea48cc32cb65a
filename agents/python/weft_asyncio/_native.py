"""Whether the agent's per-event work runs in C (weft_asyncio._speedups) or in Python.

The extension is used when it can be imported (it is built by the project's CMake against the
interpreter's headers) and WEFT_ASYNCIO_PURE is not set to something other than "0". Both paths
record the same events; the choice is made once, when the agent is imported, because the
buffers and thread states are built on the extension's base types when it is in use."""

import os

PURE_REQUESTED = os.environ.get("WEFT_ASYNCIO_PURE", "") not in ("", "0")

speedups = None
if not PURE_REQUESTED:
    try:
        from . import _speedups as speedups
    except ImportError:
        speedups = None


def describe():
    """One line for `--info`: which hooks record."""
    if speedups is not None:
        return "C (weft_asyncio._speedups): Handle._run and BaseEventLoop._call_soon"
    why = "WEFT_ASYNCIO_PURE is set" if PURE_REQUESTED else "weft_asyncio._speedups is not built"
    return "Python (Handle._run and BaseEventLoop._call_soon): %s" % why
