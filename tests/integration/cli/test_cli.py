#!/usr/bin/python3
"""End-to-end tests of weft-cli. The binary comes from $WEFT_CLI (set by CTest).

Run one group:  WEFT_CLI=build/app/weft-cli /usr/bin/python3 test_cli.py SummaryTests
"""

import csv
import datetime
import gzip
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

CLI = os.environ.get("WEFT_CLI", "")
FILE_HEADER = 16
FRAME_HEADER = 16


def run(*args, check=None):
    proc = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, errors="replace", timeout=240)
    if check is not None and proc.returncode != check:
        raise AssertionError(f"weft-cli {' '.join(map(str, args))} exited {proc.returncode}, "
                             f"expected {check}\nstdout: {proc.stdout[:2000]}\nstderr: {proc.stderr[:2000]}")
    return proc


def records(path):
    """(offset, body length) of every frame, walking the framing of docs/FORMAT.md."""
    with open(path, "rb") as f:
        data = f.read()
    out, pos = [], FILE_HEADER
    while pos + FRAME_HEADER <= len(data):
        assert data[pos:pos + 4] == b"WREC", f"no sync at {pos}"
        (length,) = struct.unpack_from("<I", data, pos + 8)
        out.append((pos, length))
        pos += FRAME_HEADER + length
    return out


class CliTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not CLI or not os.access(CLI, os.X_OK):
            raise unittest.SkipTest("WEFT_CLI does not name an executable")
        cls.dir = tempfile.mkdtemp(prefix="weft-cli-test-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def generate(cls, name, *options):
        path = os.path.join(cls.dir, name)
        run("generate", path, *options, check=0)
        return path

    def summary(self, path, *options):
        proc = run("summary", "--json", path, *options, check=0)
        return json.loads(proc.stdout)

    def export(self, path):
        out = os.path.join(self.dir, os.path.basename(path) + ".json")
        run("export", "--format", "json", "-o", out, path, check=0)
        with open(out, encoding="utf-8") as f:
            return json.load(f)


class GenerateTests(CliTestCase):
    def test_same_seed_gives_identical_bytes(self):
        a = self.generate("a.weft", "--events", 30000, "--seed", 11)
        b = self.generate("b.weft", "--events", 30000, "--seed", 11)
        c = self.generate("c.weft", "--events", 30000, "--seed", 12)
        with open(a, "rb") as fa, open(b, "rb") as fb, open(c, "rb") as fc:
            da, db, dc = fa.read(), fb.read(), fc.read()
        self.assertEqual(da, db)
        self.assertNotEqual(da, dc)

    def test_event_target_and_shape_options(self):
        path = self.generate("shape.weft", "--events", 40000, "--threads", 3, "--depth", 1,
                             "--block-events", 500, "--seed", 5)
        s = self.summary(path)
        self.assertGreaterEqual(s["events"]["total"], 40000)
        self.assertLess(s["events"]["total"], 40100)
        self.assertLessEqual(s["tasks"]["max_depth"], 1)
        threads = s["processes"][0]["threads"]
        self.assertEqual(len(threads), 3)
        self.assertEqual(sum(1 for t in threads if t["event_loop"]), 1)
        self.assertIn("event-loop", threads[0]["tags"])
        # 500 events per block: at least events / 500 blocks, plus process and stream infos.
        self.assertGreaterEqual(len(records(path)), 40000 // 500 + 1 + 3)

    def test_task_limit(self):
        path = self.generate("few.weft", "--events", 1000000, "--tasks", 40)
        s = self.summary(path)
        self.assertEqual(s["tasks"]["total"], 40)
        self.assertLess(s["events"]["total"], 1000000)

    def test_unwritable_output_fails(self):
        proc = run("generate", os.path.join(self.dir, "no", "such", "dir.weft"))
        self.assertEqual(proc.returncode, 1)
        self.assertTrue(proc.stderr.strip())


class SummaryTests(CliTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.path = cls.generate("summary.weft", "--events", 150000, "--threads", 4, "--seed", 21)

    def test_documented_fields(self):
        s = self.summary(self.path)
        self.assertGreater(s["events"]["total"], 0)
        outcomes = s["tasks"]["by_outcome"]
        self.assertEqual(set(outcomes), {"ok", "cancelled", "error", "unfinished"})
        self.assertEqual(sum(outcomes.values()), s["tasks"]["total"])
        self.assertGreater(outcomes["error"], 0)
        self.assertGreater(outcomes["cancelled"], 0)
        self.assertGreaterEqual(s["tasks"]["max_depth"], 2)
        top = s["await_points"]["top_locations"]
        self.assertTrue(top)
        for row in top:
            for key in ("location", "count", "total_ms", "mean_ms", "p95_ms", "max_ms"):
                self.assertIn(key, row)
            self.assertLessEqual(row["mean_ms"], row["max_ms"] + 1e-9)
            self.assertLessEqual(row["p95_ms"], row["max_ms"] + 1e-9)
        totals = [row["total_ms"] for row in top]
        self.assertEqual(totals, sorted(totals, reverse=True))
        for b in s["blocking_events"]:
            self.assertGreaterEqual(b["duration_ms"], 100.0)
            self.assertTrue(b["stack_trace"])
            self.assertRegex(b["stack_trace"][0], r"^\S+ \(.+\)$")
            self.assertIn("thread", b)
            self.assertIn("task_id", b)
            self.assertIn("detected_at", b)
        lag = s["event_loop_metrics"]
        self.assertGreater(lag["samples"], 0)
        self.assertLessEqual(lag["avg_lag_ms"], lag["max_lag_ms"])
        self.assertLessEqual(lag["p99_lag_ms"], lag["max_lag_ms"])
        self.assertIn("messages", s["diagnostics"])
        self.assertIn("damaged_records", s["diagnostics"])

    def test_consistent_with_export(self):
        s = self.summary(self.path, "--top", 1000, "--max-blocking", 100000)
        e = self.export(self.path)
        self.assertEqual(len(e["tasks"]), s["tasks"]["total"])
        states = {}
        for t in e["tasks"]:
            states[t["state"]] = states.get(t["state"], 0) + 1
            self.assertEqual(t["completed_at"] is None, t["state"] == "unfinished")
            self.assertEqual(t["cancelled"], t["state"] == "cancelled")
        for outcome, count in s["tasks"]["by_outcome"].items():
            self.assertEqual(states.get(outcome, 0), count, outcome)
        awaits = e["await_points"]
        self.assertEqual(len(awaits), s["await_points"]["total"])
        self.assertEqual(sum(r["count"] for r in s["await_points"]["top_locations"]), len(awaits))
        self.assertAlmostEqual(sum(a["duration_ms"] for a in awaits), s["await_points"]["total_ms"],
                               delta=1e-6 * max(1.0, s["await_points"]["total_ms"]))
        long_blocking = [b for b in e["blocking_events"] if b["duration_ms"] >= 100.0]
        self.assertEqual(len(long_blocking), len(s["blocking_events"]))
        self.assertEqual(e["event_loop_metrics"]["samples"], s["event_loop_metrics"]["samples"])
        self.assertEqual(len(e["event_loop_metrics"]["series"]), s["event_loop_metrics"]["samples"])
        self.assertEqual(e["trace"]["events"], s["events"]["total"])
        ids = {t["task_id"] for t in e["tasks"]}
        self.assertTrue(all(t["parent_task_id"] is None or t["parent_task_id"] in ids for t in e["tasks"]))

    def test_human_readable(self):
        proc = run("summary", self.path, check=0)
        for section in ("Process", "event-loop", "worker-1", "Tasks:", "Await points:", "Blocking events:",
                        "Event-loop lag:", "Diagnostics:"):
            self.assertIn(section, proc.stdout)

    def test_missing_file(self):
        proc = run("summary", os.path.join(self.dir, "missing.weft"))
        self.assertEqual(proc.returncode, 1)
        self.assertIn("missing.weft", proc.stderr)


class ValidateTests(CliTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.path = cls.generate("clean.weft", "--events", 60000, "--block-events", 1000, "--seed", 3)
        cls.clean_events = None

    def damaged_copy(self, name, mutate):
        with open(self.path, "rb") as f:
            data = bytearray(f.read())
        data = mutate(data)
        out = os.path.join(self.dir, name)
        with open(out, "wb") as f:
            f.write(data)
        return out

    def test_clean_file(self):
        proc = run("validate", self.path, check=0)
        self.assertRegex(proc.stdout, r"clean\.weft: OK: \d+ records .*, \d+ events")
        self.assertEqual(proc.stderr, "")

    def test_flipped_byte(self):
        recs = records(self.path)
        offset, length = recs[len(recs) // 2]
        position = offset + FRAME_HEADER + length // 2

        def flip(data):
            data[position] ^= 0x5A
            return data

        bad = self.damaged_copy("flipped.weft", flip)
        proc = run("validate", bad, check=1)
        self.assertIn(f"{bad}: offset {offset}: ", proc.stderr)
        # Every other record still loads.
        clean = self.summary(self.path)
        damaged = self.summary(bad)
        self.assertGreater(damaged["events"]["total"], 0)
        self.assertLess(damaged["events"]["total"], clean["events"]["total"])
        self.assertGreaterEqual(damaged["diagnostics"]["damaged_records"], 1)

    def test_truncated_file(self):
        recs = records(self.path)
        offset, length = recs[-1]
        bad = self.damaged_copy("truncated.weft", lambda data: data[:offset + FRAME_HEADER + length // 2])
        proc = run("validate", bad, check=1)
        self.assertIn(f"{bad}: offset {offset}: ", proc.stderr)
        damaged = self.summary(bad)
        self.assertGreater(damaged["events"]["total"], 0)
        self.assertGreater(damaged["tasks"]["total"], 0)

    def test_not_a_trace(self):
        bad = os.path.join(self.dir, "text.weft")
        with open(bad, "w") as f:
            f.write("this is not a trace\n")
        proc = run("validate", bad, check=1)
        self.assertIn(bad, proc.stderr)
        run("summary", bad, check=1)

    def test_missing_file(self):
        proc = run("validate", os.path.join(self.dir, "absent.weft"), check=1)
        self.assertIn("absent.weft", proc.stderr)


class ExportTests(CliTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.path = cls.generate("export.weft", "--events", 40000, "--seed", 9)

    def test_stdout_equals_file(self):
        out = os.path.join(self.dir, "out.json")
        run("export", "--format", "json", "-o", out, self.path, check=0)
        stdout = run("export", self.path, check=0).stdout
        with open(out, encoding="utf-8") as f:
            self.assertEqual(f.read(), stdout)

    def test_sections_and_fields(self):
        e = self.export(self.path)
        for key in ("trace", "processes", "threads", "tasks", "await_points", "blocking_events",
                    "event_loop_metrics", "async_spans", "thread_spans", "diagnostics"):
            self.assertIn(key, e)
        self.assertEqual(e["trace"]["format_version"], "1.1")
        task = e["tasks"][0]
        for key in ("task_id", "name", "coro_name", "created_at", "started_at", "completed_at", "cancelled",
                    "exception", "parent_task_id", "state", "busy_ms", "scheduled_ms", "idle_ms", "polls",
                    "threads", "spawn_location"):
            self.assertIn(key, task)
        errors = [t for t in e["tasks"] if t["state"] == "error"]
        self.assertTrue(errors)
        self.assertTrue(all(t["exception"] for t in errors))
        self.assertTrue(any(len(t["threads"]) > 1 for t in e["tasks"]))
        cross = [s for s in e["async_spans"] if s["end_thread"] and s["end_thread"] != s["begin_thread"]]
        self.assertTrue(cross)
        a = e["await_points"][0]
        for key in ("task_id", "awaitable_name", "file", "line", "started_at", "resumed_at", "duration_ms"):
            self.assertIn(key, a)

    def test_unknown_format_is_usage_error(self):
        proc = run("export", "--format", "xml", self.path)
        self.assertEqual(proc.returncode, 2)
        self.assertTrue(proc.stderr.strip())

    def test_unwritable_output(self):
        proc = run("export", "-o", os.path.join(self.dir, "no", "dir", "x.json"), self.path)
        self.assertEqual(proc.returncode, 1)


CHROME_TRACE = {
    "traceEvents": [
        {"name": "process_name", "ph": "M", "pid": 1, "args": {"name": "Browser"}},
        {"name": "thread_name", "ph": "M", "pid": 1, "tid": 2, "args": {"name": "main"}},
        {"name": "RunTask", "cat": "toplevel", "ph": "X", "ts": 100, "dur": 50, "pid": 1, "tid": 2,
         "args": {"src": "a.cc"}},
        {"name": "Inner", "ph": "B", "ts": 110, "pid": 1, "tid": 2},
        {"name": "Inner", "ph": "E", "ts": 120, "pid": 1, "tid": 2},
        {"name": "request", "cat": "net", "ph": "b", "ts": 105, "id2": {"local": "0x1"}, "pid": 1, "tid": 2},
        {"name": "dns", "cat": "net", "ph": "b", "ts": 106, "id2": {"local": "0x1"}, "pid": 1, "tid": 3},
        {"name": "dns", "cat": "net", "ph": "e", "ts": 130, "id2": {"local": "0x1"}, "pid": 1, "tid": 3},
        {"name": "request", "cat": "net", "ph": "e", "ts": 200, "id2": {"local": "0x1"}, "pid": 1, "tid": 2},
        {"name": "memory", "ph": "C", "ts": 100, "pid": 1, "args": {"used": 1, "free": 2.5}},
        {"name": "mark", "ph": "i", "ts": 115, "pid": 1, "tid": 2, "s": "g"},
        {"name": "ipc", "cat": "ipc", "ph": "s", "id": 7, "ts": 112, "pid": 1, "tid": 2},
        {"name": "ipc", "cat": "ipc", "ph": "f", "bp": "e", "id": 7, "ts": 125, "pid": 1, "tid": 3},
        {"name": "Recv", "cat": "ipc", "ph": "X", "ts": 124, "dur": 3, "pid": 1, "tid": 3},
        {"name": "snapshot", "ph": "O", "ts": 1, "pid": 1, "id": "0x5"},
    ],
    "displayTimeUnit": "ns",
}


class ChromeJsonTests(CliTestCase):
    """Chrome trace-event JSON in, through every command that reads a trace."""

    def write(self, name, text, gz=False):
        path = os.path.join(self.dir, name)
        data = text.encode("utf-8")
        with open(path, "wb") as f:
            f.write(gzip.compress(data) if gz else data)
        return path

    def test_summary_of_plain_gzip_and_unnamed_files_agree(self):
        text = json.dumps(CHROME_TRACE)
        plain = self.summary(self.write("t.json", text))
        self.assertEqual(plain["spans"]["flows"], 1)
        self.assertEqual(plain["spans"]["thread_spans"], 3)
        self.assertEqual(plain["tasks"]["total"], 1)
        self.assertEqual(plain["processes"][0]["exe"], "Browser")
        self.assertEqual(plain["diagnostics"]["notes"], {"object events (N, O, D): not shown": 1})
        self.assertEqual(self.summary(self.write("t.json.gz", text, gz=True)), plain)
        self.assertEqual(self.summary(self.write("trace-without-extension", text, gz=True)), plain)

    def test_convert_then_summary_equals_the_summary_of_the_json(self):
        source = self.write("c.json", json.dumps(CHROME_TRACE))
        out = os.path.join(self.dir, "c.weft")
        proc = run("convert", source, "-o", out, check=0)
        self.assertIn("blocks written", proc.stdout)
        run("validate", out, check=0)
        self.assertEqual(self.summary(out), self.summary(source))
        self.assertEqual(self.export(out), self.export(source))

    def test_async_slices_become_async_events_rows(self):
        source = self.write("ae.json", json.dumps(CHROME_TRACE))
        rows = list(csv.DictReader(io.StringIO(
            run("export", "--format", "async-events", source, check=0).stdout)))
        self.assertTrue(rows)
        self.assertEqual({r["event_type"] for r in rows} - {"begin", "end"}, set())
        # No blocks in a JSON file: the column is empty; the rest is filled in.
        self.assertTrue(all(r["block_id"] == "" and r["process_id"] and r["stream_id"] for r in rows))

    def test_validate_reports_each_problem_with_its_offset(self):
        good = self.write("good.json", json.dumps(CHROME_TRACE))
        proc = run("validate", good, check=0)
        self.assertIn("OK: Chrome trace-event JSON", proc.stdout)
        self.assertIn("object events (N, O, D): not shown: 1", proc.stdout)
        head = '[{"name":"a","ph":"X","ts":1,"dur":1,"pid":1,"tid":1},\n'
        bad = self.write("bad.json", head + '{"name":"b","ph":"X","ts":"soon","pid":1,"tid":1},\n{"name":"c","ph":"X","ts":3')
        proc = run("validate", bad, check=1)
        self.assertIn(f"bad.json: offset {len(head)}: event skipped: ts: not a number", proc.stderr)
        self.assertIn("the trace is cut short", proc.stderr)
        # summary and convert still take what is intact, warning about the rest.
        self.assertEqual(self.summary(bad)["spans"]["thread_spans"], 1)
        run("convert", bad, "-o", os.path.join(self.dir, "bad.weft"), check=0)

    def test_not_a_trace(self):
        path = self.write("nothing.json", '{"hello": "world"}')
        proc = run("summary", path, check=1)
        self.assertIn("traceEvents", proc.stderr)
        proc = run("convert", path, "-o", os.path.join(self.dir, "nothing.weft"), check=1)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "nothing.weft")))
        proc = run("summary", self.write("garbage.bin", "\x00\x01binary"), check=1)
        self.assertIn("neither a Weft trace nor a trace-event JSON file", proc.stderr)


class UsageTests(CliTestCase):
    def test_help_everywhere(self):
        for command in ([], ["generate"], ["summary"], ["validate"], ["export"]):
            proc = run(*command, "--help", check=0)
            self.assertIn("Usage", proc.stdout)
        self.assertIn("--block-events", run("generate", "--help", check=0).stdout)
        self.assertIn("--json", run("summary", "--help", check=0).stdout)

    def test_bad_arguments_exit_2(self):
        cases = [
            [],
            ["frobnicate"],
            ["generate"],
            ["generate", "x.weft", "--events", "many"],
            ["generate", "x.weft", "--threads", "0"],
            ["summary"],
            ["summary", "a.weft", "--no-such-option"],
            ["validate"],
            ["export"],
        ]
        for args in cases:
            with self.subTest(args=args):
                proc = run(*args)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertTrue(proc.stderr.strip())
                self.assertFalse(os.path.exists("x.weft"))


class AsyncEventsTests(CliTestCase):
    """export --format async-events / async-events-jsonl: the micromegas-style async_events table."""

    COLUMNS = ["process_id", "stream_id", "block_id", "time", "time_ns", "event_type", "span_id",
               "parent_span_id", "depth", "hash", "name", "filename", "target", "line"]

    def test_csv_and_json_lines_hold_one_row_per_begin_and_end(self):
        path = self.generate("spans.weft", "--events", "20000", "--seed", "5", "--block-events", "256")
        doc = self.export(path)
        csv_out = os.path.join(self.dir, "spans.csv")
        run("export", "--format", "async-events", "-o", csv_out, path, check=0)
        with open(csv_out, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        jsonl = run("export", "--format", "async-events-jsonl", path, check=0).stdout.splitlines()
        lines = [json.loads(line) for line in jsonl]
        self.assertEqual(list(lines[0].keys()), self.COLUMNS)
        self.assertEqual(len(rows), len(lines))
        begins = [r for r in rows if r["event_type"] == "begin"]
        ends = [r for r in rows if r["event_type"] == "end"]
        self.assertGreater(len(begins), 100)
        self.assertEqual(len(begins), len(ends) + sum(1 for r in begins if r["span_id"] not in
                                                      {e["span_id"] for e in ends}))
        # In time order; the RFC 3339 text and the integer say the same instant.
        times = [int(r["time_ns"]) for r in rows]
        self.assertEqual(times, sorted(times))
        for r in rows[:50]:
            stamp = datetime.datetime.fromisoformat(r["time"][:26] + "+00:00")
            self.assertEqual(int(stamp.timestamp()), int(r["time_ns"]) // 1_000_000_000)
            self.assertEqual(r["time"][20:29], "%09d" % (int(r["time_ns"]) % 1_000_000_000))
        # CSV and JSON Lines agree field by field.
        for r, j in zip(rows, lines):
            self.assertEqual(r["span_id"], str(j["span_id"]))
            self.assertEqual(r["hash"], j["hash"])
            self.assertEqual(r["block_id"], j["block_id"] or "")
        # Small blocks: spans begin and end in many different blocks, each a block of the file.
        self.assertGreater(len({r["block_id"] for r in rows}), 10)
        # One hash per call site; a parent is a span of the table.
        sites = {}
        for r in rows:
            sites.setdefault((r["name"], r["filename"], r["target"], r["line"]), set()).add(r["hash"])
        self.assertTrue(all(len(h) == 1 for h in sites.values()))
        ids = {r["span_id"] for r in rows}
        self.assertTrue(all(r["parent_span_id"] == "0" or r["parent_span_id"] in ids for r in rows))
        self.assertTrue(all(r["process_id"] for r in rows))

    def test_a_failed_write_leaves_no_file(self):
        path = self.generate("spans2.weft", "--events", "5000", "--seed", "6")
        missing = os.path.join(self.dir, "no-such-dir", "out.csv")
        proc = run("export", "--format", "async-events", "-o", missing, path)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn(missing, proc.stderr)
        self.assertFalse(os.path.exists(os.path.dirname(missing)))
        # A full disk: the standard output is /dev/full.
        with open("/dev/full", "w") as full:
            proc = subprocess.run([CLI, "export", "--format", "async-events-jsonl", path], stdout=full,
                                  stderr=subprocess.PIPE, text=True, timeout=120)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("failed", proc.stderr)
        # An existing file keeps its content when the export cannot finish, and no partial file stays.
        target = os.path.join(self.dir, "kept.csv")
        with open(target, "w") as f:
            f.write("before\n")
        proc = run("export", "--format", "async-events", "-o", target, os.path.join(self.dir, "absent.weft"))
        self.assertNotEqual(proc.returncode, 0)
        with open(target) as f:
            self.assertEqual(f.read(), "before\n")
        self.assertEqual([n for n in os.listdir(self.dir) if ".partial-" in n], [])


class GoldenTests(CliTestCase):
    """The summary of a fixed synthetic trace, against a reviewed copy: any change in decoding,
    model building or the analyses shows here as a diff. After an intended change, regenerate with
    WEFT_UPDATE_GOLDEN=1 and review the diff of golden/."""

    GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
    ASYNC_EVENTS = ("--events", "3000", "--threads", "2", "--seed", "5", "--block-events", "512")
    CASES = {
        "summary_seed7": ("--events", "60000", "--threads", "4", "--depth", "4", "--seed", "7"),
        "summary_seed11_deep": ("--events", "30000", "--threads", "2", "--depth", "7", "--seed", "11"),
    }

    def test_summaries_match_golden(self):
        for name, options in self.CASES.items():
            with self.subTest(name):
                path = self.generate(name + ".weft", *options)
                proc = run("summary", "--json", path, check=0)
                actual = json.loads(proc.stdout)
                golden_path = os.path.join(self.GOLDEN, name + ".json")
                if os.environ.get("WEFT_UPDATE_GOLDEN") == "1":
                    os.makedirs(self.GOLDEN, exist_ok=True)
                    with open(golden_path, "w") as f:
                        json.dump(actual, f, indent=1, sort_keys=True)
                        f.write("\n")
                with open(golden_path) as f:
                    expected = json.load(f)
                # The file name is the only thing that depends on where the test runs.
                for doc in (actual, expected):
                    doc.get("trace", {}).pop("path", None)
                    doc.pop("path", None)
                self.assertEqual(json.dumps(actual, indent=1, sort_keys=True),
                                 json.dumps(expected, indent=1, sort_keys=True))

    def test_async_events_match_golden(self):
        path = self.generate("async_events.weft", *self.ASYNC_EVENTS)
        for fmt, name in (("async-events", "async_events_seed5.csv"),
                          ("async-events-jsonl", "async_events_seed5.jsonl")):
            with self.subTest(fmt):
                # Bytes: the CSV's line ends are CRLF (RFC 4180).
                actual = subprocess.run([CLI, "export", "--format", fmt, path], capture_output=True, check=True,
                                        timeout=120).stdout
                golden_path = os.path.join(self.GOLDEN, name)
                if os.environ.get("WEFT_UPDATE_GOLDEN") == "1":
                    with open(golden_path, "wb") as f:
                        f.write(actual)
                with open(golden_path, "rb") as f:
                    self.assertEqual(actual.decode(), f.read().decode())


if __name__ == "__main__":
    # Optional first argument: the name of one test class to run.
    names = sys.argv[1:] or None
    suite = (unittest.defaultTestLoader.loadTestsFromNames(names, sys.modules[__name__]) if names
             else unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__]))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
