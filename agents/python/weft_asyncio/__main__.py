"""python -m weft_asyncio [options] script.py [args] | -m module [args]: run a program traced."""

import argparse
import os
import runpy
import sys
import traceback

import weft_asyncio


def _parser():
    p = argparse.ArgumentParser(
        prog="python -m weft_asyncio",
        description="Run a Python program with its asyncio tasks traced into a .weft file.")
    p.add_argument("--output", "-o", default=None,
                   help="trace file (default: $WEFT_OUTPUT, else weft-<pid>.weft; with --listen "
                        "and neither, no file is written)")
    p.add_argument("--listen", nargs="?", const="unix", default=None, metavar="ADDRESS",
                   help="serve the trace live to a viewer: unix (the default socket), unix:PATH or "
                        "tcp:127.0.0.1:PORT (port 0: any free one); off disables $WEFT_LISTEN")
    p.add_argument("--flight-recorder-mb", type=float, default=None,
                   help="MiB of recent blocks kept for the next viewer (default 64)")
    p.add_argument("--blocking-threshold-ms", type=float, default=None,
                   help="report the loop blocked at least this long (default 100; 0 disables)")
    p.add_argument("--lag-interval-ms", type=float, default=None,
                   help="at most one event-loop lag sample per this period on each loop "
                        "thread (default 100; 0 disables)")
    p.add_argument("--max-tasks", type=int, default=None,
                   help="tasks tracked at once at most (default 100000)")
    p.add_argument("--block-events", type=int, default=16384,
                   help="events a thread gathers before handing them to the writer as one block "
                        "(default 16384)")
    p.add_argument("--no-compress", action="store_true", help="store block payloads uncompressed")
    p.add_argument("--version", action="version", version="weft_asyncio " + weft_asyncio.__version__)
    p.add_argument("--info", action="store_true",
                   help="say how this installation records (hooks, encoder, compression) and exit")
    p.add_argument("-m", dest="module", default=None, help="run a library module as a script")
    p.add_argument("script", nargs="?", help="the program to run")
    p.add_argument("args", nargs=argparse.REMAINDER, help="its arguments")
    return p


def _looks_like_address(text):
    return text in ("unix", "off") or (":" in text and not os.path.exists(text))


def _user_traceback(tb, filename):
    """Drop the frames of this runner, so the traceback reads as it would untraced."""
    start = tb
    while tb is not None:
        if filename is None or os.path.abspath(tb.tb_frame.f_code.co_filename) == filename:
            return tb
        tb = tb.tb_next
    return start


# Options followed by a value, as the parser reads them.
_VALUE_OPTIONS = {"--output", "-o", "--flight-recorder-mb", "--blocking-threshold-ms",
                  "--lag-interval-ms", "--max-tasks", "--block-events"}


def _split_module(argv):
    """(the agent's options, module, its arguments) when argv runs `-m module`, else None. As for
    python itself, everything after the module name is the module's, options included."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "-m" and i + 1 < len(argv):
            return argv[:i], argv[i + 1], argv[i + 2:]
        if arg in _VALUE_OPTIONS:
            i += 2
        elif arg == "--listen" and i + 1 < len(argv) and _looks_like_address(argv[i + 1]):
            i += 2
        elif arg.startswith("-"):
            i += 1
        else:
            return None  # a script: its arguments are split by the parser
    return None


def _info():
    from . import _native, _writer
    lines = [
        "weft_asyncio %s" % weft_asyncio.__version__,
        "python       %s (%s)" % (sys.version.split()[0], sys.executable),
        "hooks        %s" % _native.describe(),
        "encoder      %s" % ("cbor2 (C)" if _writer.CBOR_BACKEND == "cbor2" else
                             "built-in (cbor2 not importable)"),
        "compression  %s" % ("zstd (zstandard)" if _writer._zstd is not None else
                             "none (zstandard not importable: blocks are written uncompressed)"),
    ]
    return "\n".join(lines)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    split = _split_module(argv)
    if split is not None:
        args = _parser().parse_args(split[0])
        args.module, args.script, args.args = split[1], None, split[2]
    else:
        args = _parser().parse_args(argv)
    if args.listen is not None and not _looks_like_address(args.listen):
        # "--listen script.py": the optional value took the script's place.
        args.args = ([args.script] if args.script else []) + args.args
        args.script, args.listen = args.listen, "unix"
    if args.info:
        print(_info())
        return
    if args.module is None and args.script is None:
        _parser().error("a script or -m module is required")
    if args.module is not None:
        rest = ([args.script] if args.script else []) + args.args
        sys.argv = [args.module] + rest
        target_file = None
    else:
        target_file = os.path.abspath(args.script)
        sys.argv = [args.script] + args.args
        sys.path[0] = os.path.dirname(target_file)
    recorder_bytes = None
    if args.flight_recorder_mb is not None:
        recorder_bytes = max(1, int(args.flight_recorder_mb * (1 << 20)))
    try:
        weft_asyncio.start(args.output, blocking_threshold_ms=args.blocking_threshold_ms,
                           lag_interval_ms=args.lag_interval_ms, max_tasks=args.max_tasks,
                           block_events=max(1, args.block_events),
                           compress=not args.no_compress, listen=args.listen,
                           flight_recorder_bytes=recorder_bytes)
    except (OSError, ValueError) as exc:
        _parser().exit(2, "python -m weft_asyncio: %s\n" % exc)
    try:
        if args.module is not None:
            runpy.run_module(args.module, run_name="__main__", alter_sys=True)
        else:
            runpy.run_path(target_file, run_name="__main__")
    except (SystemExit, KeyboardInterrupt):
        weft_asyncio.stop()
        raise
    except BaseException as exc:
        weft_asyncio.stop()
        sys.stdout.flush()
        traceback.print_exception(type(exc), exc, _user_traceback(exc.__traceback__, target_file))
        sys.exit(1)
    weft_asyncio.stop()


if __name__ == "__main__":
    main()
