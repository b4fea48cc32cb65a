"""The traces, read back by weft-cli (set WEFT_CLI to its path; skipped otherwise).

Checks what the C++ model derives from an agent's trace against what the trace says: task
counts and outcomes, hierarchy depth, blocking events with stacks, lag samples, and no
diagnostics (orphans, duplicates, time going backwards).
"""

import json
import os
import subprocess
import unittest

from support import scenario, tasks_of

CLI = os.environ.get("WEFT_CLI")


def _cli(*args):
    proc = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise AssertionError("weft-cli %s failed (%d): %s" % (args, proc.returncode, proc.stderr))
    return proc.stdout


def _find(obj, key):
    """The first value stored under `key` anywhere in a JSON document (depth first)."""
    if isinstance(obj, dict):
        if key in obj:
            return obj[key]
        for value in obj.values():
            found = _find(value, key)
            if found is not None:
                return found
    elif isinstance(obj, list):
        for value in obj:
            found = _find(value, key)
            if found is not None:
                return found
    return None


@unittest.skipUnless(CLI, "WEFT_CLI is not set")
class CliModelTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        _, traced, cls.path, cls.trace = scenario()
        if cls.trace is None:
            raise AssertionError("traced run failed:\n" + traced.stderr)
        cls.tasks = tasks_of(cls.trace)
        cls.by_name = {t.name: t for t in cls.tasks.values()}
        cls.summary = json.loads(_cli("summary", "--json", cls.path))

    def test_task_counts_and_outcomes(self):
        counts = self.summary["tasks"]
        outcomes = [t.outcome for t in self.tasks.values()]
        self.assertEqual(counts["total"], len(self.tasks))
        by_outcome = counts["by_outcome"]
        self.assertEqual(by_outcome["ok"], outcomes.count(0))
        self.assertEqual(by_outcome["cancelled"], outcomes.count(1))
        self.assertEqual(by_outcome["error"], outcomes.count(2))
        self.assertEqual(by_outcome["unfinished"], 0)
        self.assertEqual(counts["migrated"], 0)
        depth = {}
        for tid in sorted(self.tasks):
            parent = self.tasks[tid].parent
            depth[tid] = depth[parent] + 1 if parent else 0
        self.assertEqual(counts["max_depth"], max(depth.values()))

    def test_blocking_with_stack(self):
        self.assertEqual(self.summary["blocking"]["above_threshold"], 1)
        longest = self.summary["blocking_events"][0]
        self.assertGreaterEqual(longest["duration_ms"], 300.0)
        self.assertTrue(longest["stack_trace"])
        self.assertIn("scenario.py", longest["stack_trace"][0])
        self.assertTrue(longest["stack_trace"][0].startswith("main ("))
        self.assertEqual(longest["task_id"], self.by_name["Task-1"].task_id)

    def test_lag_samples(self):
        lag = self.summary["event_loop_metrics"]
        ours = [e.fields[0] for e in self.trace.events if e.name == "loop_lag"]
        self.assertEqual(lag["samples"], len(ours))
        self.assertAlmostEqual(lag["max_lag_ms"], max(ours) / 1e6, delta=0.01)
        self.assertGreaterEqual(lag["max_lag_ms"], 150.0)

    def test_no_diagnostics(self):
        diagnostics = self.summary["diagnostics"]
        for key in ("orphan_run_ends", "orphan_await_ends", "orphan_async_span_ends",
                    "orphan_thread_span_ends", "duplicate_task_ids", "duplicate_span_ids",
                    "time_backwards", "unknown_events", "blocks_without_stream",
                    "dropped_events", "damaged_records", "unfinished_tasks", "unfinished_runs",
                    "unfinished_awaits", "unfinished_async_spans", "unfinished_thread_spans"):
            value = _find(diagnostics, key)
            if value is not None:
                self.assertEqual(value, 0, key)

    def test_export_matches_the_trace(self):
        export = json.loads(_cli("export", self.path, "--format", "json"))
        tasks = export["tasks"]
        self.assertEqual(len(tasks), len(self.tasks))
        for exported in tasks:
            ours = self.tasks[exported["task_id"]]
            self.assertEqual(exported["name"], ours.name)
            self.assertEqual(exported["coro_name"], ours.coro)
            self.assertEqual(exported["parent_task_id"] or 0, ours.parent)
            self.assertEqual(exported["state"], {0: "ok", 1: "cancelled", 2: "error"}[ours.outcome])
        awaits = export["await_points"]
        self.assertEqual(len(awaits), sum(len(t.awaits) for t in self.tasks.values()))
        threads = {t["name"]: t for t in export["threads"]}
        self.assertTrue(threads["MainThread"]["event_loop"])
        spans = sorted(s["name"] for s in export["async_spans"])
        self.assertEqual(spans, ["middle", "middle", "outer"])


if __name__ == "__main__":
    unittest.main()
