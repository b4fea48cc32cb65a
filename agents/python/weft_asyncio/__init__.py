"""weft_asyncio: records what an asyncio program's tasks do into a Weft trace (.weft).

    import weft_asyncio
    weft_asyncio.start("trace.weft")      # or: with weft_asyncio.tracing("trace.weft"): ...
    ...
    weft_asyncio.stop()

or, without touching the program: ``python -m weft_asyncio --output trace.weft script.py args``.

Importing the package changes nothing in asyncio: it is patched by start() and restored by stop().
"""

import atexit
import os
import threading

from . import _agent
from ._spans import span, thread_span
from ._writer import CBOR_BACKEND

__all__ = ["start", "stop", "tracing", "is_tracing", "span", "thread_span", "stats", "live_address",
           "CBOR_BACKEND", "__version__"]
__version__ = "1.0.0"

_lock = threading.Lock()
_session = None  # (writer, recorder, watchdog) while tracing
_atexit_registered = False


def _env_float(name, default):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return float(value)
    except ValueError:
        return default


def _listen_address(listen):
    """The address to serve on (see _live.parse_address) or None: `listen` wins over $WEFT_LISTEN;
    False, "" and "off" turn serving off, True means the default Unix socket."""
    from . import _live
    if listen is None:
        listen = os.environ.get("WEFT_LISTEN") or None
    if listen is None or listen is False or listen in ("", "off"):
        return None
    if listen is True:
        listen = "unix"
    return _live.parse_address(str(listen))


def start(output=None, blocking_threshold_ms=None, lag_interval_ms=None, max_tasks=None,
          block_events=16384, flush_interval_s=1.0, compress=True, instrument_executor=True,
          properties=None, listen=None, flight_recorder_bytes=None):
    """Start tracing into `output` and/or serving the trace live.

    output: the trace file (default: $WEFT_OUTPUT, else weft-<pid>.weft, except when serving live:
    then no file unless one is named). listen: serve live on "unix", "unix:PATH" or
    "tcp:127.0.0.1:PORT" (default $WEFT_LISTEN; "off" or False: don't). flight_recorder_bytes:
    bytes of recent blocks kept for the next viewer (default $WEFT_FLIGHT_RECORDER_MB or 64 MiB).
    blocking_threshold_ms: report callbacks/run slices that hold the loop this long (0: off;
    default $WEFT_BLOCKING_THRESHOLD_MS or 100). lag_interval_ms: at most one event-loop lag
    sample per this period on each loop thread (0: off; default $WEFT_LAG_INTERVAL_MS or 100). max_tasks: bound on tasks tracked at once
    (default $WEFT_MAX_TASKS or 100000). Returns the output path (None without a file). Raises if
    already tracing, if the file cannot be created or the address not served (ValueError for a
    malformed address, OSError otherwise); never raises afterwards.
    """
    global _session, _atexit_registered
    from ._watchdog import Watchdog
    from ._writer import Writer

    with _lock:
        if _session is not None:
            raise RuntimeError("weft_asyncio is already tracing to %s" % _session[0].path)
        address = _listen_address(listen)
        if output is None:
            output = os.environ.get("WEFT_OUTPUT") or None
            if output is None and address is None:
                output = "weft-%d.weft" % os.getpid()
        if flight_recorder_bytes is None:
            flight_recorder_bytes = int(_env_float("WEFT_FLIGHT_RECORDER_MB", 64.0) * (1 << 20))
        if blocking_threshold_ms is None:
            blocking_threshold_ms = _env_float("WEFT_BLOCKING_THRESHOLD_MS", 100.0)
        if lag_interval_ms is None:
            lag_interval_ms = _env_float("WEFT_LAG_INTERVAL_MS", 100.0)
        if max_tasks is None:
            max_tasks = int(_env_float("WEFT_MAX_TASKS", 100000))
        writer = Writer(output, block_events=block_events, flush_interval_s=flush_interval_s,
                        compress=compress, properties=properties, listen=address,
                        flight_recorder_bytes=flight_recorder_bytes)
        recorder = _agent.Recorder(writer, blocking_threshold_ms=blocking_threshold_ms,
                                   lag_interval_ms=lag_interval_ms, max_tasks=max_tasks,
                                   instrument_executor=instrument_executor)
        period = 0.05
        if blocking_threshold_ms:
            period = min(0.05, max(0.002, blocking_threshold_ms / 4000.0))
        watchdog = Watchdog(recorder, writer, period)
        _agent.install(recorder)
        watchdog.start()
        _session = (writer, recorder, watchdog)
        if not _atexit_registered:
            atexit.register(stop)
            _atexit_registered = True
        return writer.path


def stop():
    """Stop tracing, restore asyncio and finish the file. Returns its path (None if not tracing)."""
    global _session
    with _lock:
        session = _session
        _session = None
    if session is None:
        return None
    writer, recorder, watchdog = session
    _agent.uninstall()
    try:
        watchdog.stop()
    except Exception:
        pass
    writer.close()
    if os.environ.get("WEFT_STATS") == "1":
        _print_stats(writer, recorder)
    return writer.path


def _print_stats(writer, recorder):
    import sys
    line = "weft_asyncio: %d events in %d blocks, %d writer errors" % (
        writer.events_written, writer.blocks_written, writer.errors)
    if writer.live is not None:
        live = writer.live.snapshot()
        line += ("; live: %d blocks published, %d sent, %d dropped, %d viewers, %d refused"
                 % (live["blocks_published"], live["blocks_sent"], live["blocks_dropped"],
                    live["attachments"], live["refused"]))
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except Exception:
        pass


def is_tracing():
    return _session is not None


def stats():
    """Counters of the current session (None when not tracing)."""
    session = _session
    if session is None:
        return None
    writer, recorder, _ = session
    out = {"path": writer.path, "blocks_written": writer.blocks_written,
           "events_written": writer.events_written, "tasks_in_flight": len(recorder.tasks),
           "writer_errors": writer.errors, "live": None}
    if writer.live is not None:
        from ._live import address_text
        out["live"] = dict(writer.live.snapshot(), address=address_text(writer.live.address),
                           discovery_file=writer.live.discovery_file)
    return out


def live_address():
    """Where the current session serves its trace ("unix:/path" or "tcp:host:port"), else None."""
    session = _session
    if session is None or session[0].live is None:
        return None
    from ._live import address_text
    return address_text(session[0].live.address)


class tracing:
    """``with weft_asyncio.tracing("out.weft"):`` traces the block (start() arguments apply)."""

    def __init__(self, output=None, **options):
        self.output = output
        self.options = options
        self.path = None

    def __enter__(self):
        self.path = start(self.output, **self.options)
        return self

    def __exit__(self, *exc):
        stop()
        return False
