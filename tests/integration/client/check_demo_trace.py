#!/usr/bin/python3
"""Runs weft-demo, then checks the trace it wrote through `weft-cli summary --json`.

The demo's workload is deterministic in what it records (one failing database call, one cancelled
remote call, one >100 ms blocking call on the event loop, lag sampling, nested tasks), so each
check below is a property of the trace, not of timing.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo", required=True)
    parser.add_argument("--cli", required=True)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        trace = os.path.join(tmp, "demo.weft")
        run = subprocess.run([args.demo, "--output", trace, "--duration-ms", "1200", "--requests", "60",
                              "--seed", "7"], capture_output=True, text=True, timeout=60)
        check(run.returncode == 0, "weft-demo exited with %d: %s" % (run.returncode, run.stderr))
        check("weft-demo:" in run.stderr and "events" in run.stderr, "no summary line on stderr: %r" % run.stderr)
        check(os.path.getsize(trace) > 16, "empty trace")

        summary_run = subprocess.run([args.cli, "summary", "--json", trace], capture_output=True, text=True,
                                     timeout=60)
        check(summary_run.returncode == 0, "weft-cli summary failed: %s" % summary_run.stderr)
        summary = json.loads(summary_run.stdout)

    tasks = summary["tasks"]
    outcomes = tasks["by_outcome"]
    check(outcomes["cancelled"] >= 1, "no cancelled task: %r" % outcomes)
    check(outcomes["error"] >= 1, "no failed task: %r" % outcomes)
    check(outcomes["unfinished"] == 0, "unfinished tasks: %r" % outcomes)
    check(outcomes["ok"] > outcomes["error"] + outcomes["cancelled"], "too few ok tasks: %r" % outcomes)
    check(tasks["max_depth"] >= 2, "max depth %r < 2" % tasks["max_depth"])
    check(tasks["migrated"] >= 1, "no task migrated between threads")

    blocking = [b for b in summary["blocking_events"] if b["duration_ms"] >= 100.0]
    check(blocking, "no blocking event >= 100 ms: %r" % summary["blocking_events"])
    check(all(b["stack_trace"] for b in blocking), "blocking event without frames: %r" % blocking)
    check(any("config" in frame for b in blocking for frame in b["stack_trace"]),
          "blocking frames do not name the config reload: %r" % blocking)

    lag = summary["event_loop_metrics"]
    check(lag["samples"] > 0, "no lag samples")
    # The 130 ms blocking call sits on the loop while its 10 ms lag timer is due.
    check(lag["max_lag_ms"] >= 50.0, "no lag spike: %r" % lag)

    check(summary["events"]["dropped"] == 0, "events dropped: %r" % summary["events"])
    check(summary["await_points"]["total"] > 0, "no await points")
    check(summary["diagnostics"]["total"] == 0, "diagnostics: %r" % summary["diagnostics"])
    threads = summary["processes"][0]["threads"]
    check(any(t["event_loop"] for t in threads), "no event-loop thread: %r" % [t["name"] for t in threads])
    check(sum(1 for t in threads if "worker" in t["tags"]) >= 2, "fewer than 2 worker threads")
    print("ok: %d events, tasks %r, %d blocking >= 100 ms, max lag %.1f ms" % (
        summary["events"]["total"], outcomes, len(blocking), lag["max_lag_ms"]))


if __name__ == "__main__":
    main()
