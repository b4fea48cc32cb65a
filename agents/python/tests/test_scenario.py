"""A real asyncio program traced end to end; the trace is checked event by event."""

import os
import unittest

from support import PROGRAMS, scenario, source_line, tasks_of

SCENARIO = os.path.join(PROGRAMS, "scenario.py")


class ScenarioTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plain, cls.traced, cls.path, cls.trace = scenario()
        if cls.trace is None:
            raise AssertionError("traced run failed:\n" + cls.traced.stderr)
        cls.tasks = tasks_of(cls.trace)
        cls.by_name = {t.name: t for t in cls.tasks.values()}

    def test_program_behaves_as_untraced(self):
        self.assertEqual(self.plain.returncode, 0, self.plain.stderr)
        self.assertEqual(self.traced.returncode, self.plain.returncode)
        self.assertEqual(self.traced.stdout, self.plain.stdout)
        self.assertEqual(self.traced.stderr, self.plain.stderr)
        self.assertIn("main task: Task-1", self.traced.stdout)
        self.assertIn("args: ['x', '--flag']", self.traced.stdout)

    def test_process_and_streams(self):
        p = self.trace.process
        self.assertEqual(p["tick_frequency"], 1_000_000_000)
        self.assertEqual(p["properties"]["agent"], "weft_asyncio")
        self.assertGreater(p["start_time_ns"], 1_600_000_000 * 10**9)
        loops = [s for s in self.trace.streams.values() if "event-loop" in s["tags"]]
        self.assertEqual(len(loops), 1)
        self.assertEqual(loops[0]["thread_name"], "MainThread")
        workers = [s for s in self.trace.streams.values() if "worker" in s["tags"]]
        self.assertEqual(len(workers), 1)
        self.assertNotEqual(workers[0]["thread_id"], loops[0]["thread_id"])

    def test_event_times_are_monotonic_per_stream(self):
        last = {}
        for e in self.trace.events:
            self.assertGreaterEqual(e.ticks, last.get(e.stream, 0), e)
            last[e.stream] = e.ticks

    def test_tasks_names_and_coroutines(self):
        names = set(self.by_name)
        self.assertEqual(len(names), len(self.tasks))  # every task has its own, known name
        self.assertNotIn(None, names)
        for expected in ("Task-1", "middle-5", "tg-leaf-3", "victim", "bad"):
            self.assertIn(expected, names)
        self.assertEqual(self.by_name["Task-1"].coro, "main")
        self.assertEqual(self.by_name["middle-5"].coro, "middle")
        self.assertEqual(self.by_name["victim"].coro, "forever")
        coros = [t.coro for t in self.tasks.values()]
        self.assertEqual(coros.count("leaf"), 5 + 1 + 3)  # middle(5), the TaskGroup leaf, middle(3)
        self.assertEqual(coros.count("producer"), 1)
        self.assertEqual(coros.count("consumer"), 1)

    def test_hierarchy(self):
        main = self.by_name["Task-1"]
        self.assertEqual(main.parent, 0)
        for name in ("middle-5", "tg-leaf-3", "victim", "bad"):
            self.assertEqual(self.by_name[name].parent, main.task_id, name)
        mid5 = self.by_name["middle-5"]
        leaves = [t for t in self.tasks.values() if t.parent == mid5.task_id]
        self.assertEqual(sorted(t.coro for t in leaves), ["leaf"] * 5)
        for t in self.tasks.values():  # parents are created before their children
            if t.parent:
                self.assertLess(self.tasks[t.parent].created, t.created)

    def test_creation_sites(self):
        self.assertEqual(self.by_name["middle-5"].site[2], SCENARIO)
        self.assertEqual(self.by_name["middle-5"].site[3],
                         source_line(SCENARIO, 'name="middle-5"'))
        self.assertEqual(self.by_name["middle-5"].site[0], "main")
        self.assertEqual(self.by_name["tg-leaf-3"].site[3],
                         source_line(SCENARIO, 'name="tg-leaf-3"'))
        gather_line = source_line(SCENARIO, "await asyncio.gather(*(leaf(i)")
        leaf_sites = {t.site[3] for t in self.tasks.values() if t.coro == "leaf"
                      and t.name != "tg-leaf-3"}
        self.assertEqual(leaf_sites, {gather_line})

    def test_outcomes(self):
        self.assertEqual(self.by_name["victim"].outcome, 1)
        bad = self.by_name["bad"]
        self.assertEqual(bad.outcome, 2)
        self.assertEqual(bad.message, "ValueError: scenario failure")
        forever = [t for t in self.tasks.values() if t.coro == "forever" and t.name != "victim"]
        self.assertEqual(len(forever), 1)  # the one wait_for timed out
        self.assertEqual(forever[0].outcome, 1)
        for t in self.tasks.values():
            self.assertIsNotNone(t.outcome, "task %s never completed" % t.name)
            if t not in (bad,) and t.coro != "forever":
                self.assertEqual(t.outcome, 0, t.name)
            self.assertGreaterEqual(len(t.slices), 1)
            self.assertLessEqual(t.slices[-1][1], t.completed)

    def test_run_slices_do_not_overlap_on_the_loop(self):
        loop = next(s["stream_id"] for s in self.trace.streams.values()
                    if "event-loop" in s["tags"])
        running = None
        for e in self.trace.events:
            if e.stream != loop:
                continue
            if e.name == "task_run_begin":
                self.assertIsNone(running)
                running = e.fields[0]
            elif e.name == "task_run_end":
                self.assertEqual(running, e.fields[0])
                running = None

    def test_await_points(self):
        main = self.by_name["Task-1"]
        descriptions = {a[2] for a in main.awaits}
        for expected in ("Task<middle-5>", "wait_for", "sleep", "gather", "to_thread"):
            self.assertIn(expected, descriptions)
        all_descriptions = {a[2] for t in self.tasks.values() for a in t.awaits}
        self.assertIn("Queue.get", all_descriptions)
        self.assertIn("Queue.put", all_descriptions)
        self.assertIn("Event.wait", all_descriptions)
        sleep_line = source_line(SCENARIO, "await asyncio.sleep(0.15)")
        at_line = [a for a in main.awaits if a[3] and a[3][3] == sleep_line]
        self.assertEqual(len(at_line), 1)
        begin, end, desc, loc = at_line[0]
        self.assertEqual((desc, loc[0], loc[2]), ("sleep", "main", SCENARIO))
        self.assertGreaterEqual(end - begin, 140_000_000)
        victim = self.by_name["victim"]
        self.assertEqual(victim.awaits[0][2], "Event.wait")
        for t in self.tasks.values():
            for begin, end, _, _ in t.awaits:
                self.assertLessEqual(begin, end)

    def test_blocking_event(self):
        blocking = [e for e in self.trace.events if e.name == "blocking"]
        self.assertEqual(len(blocking), 1, blocking)
        duration, task_id, frames = blocking[0].fields
        self.assertGreaterEqual(duration, 300_000_000)
        self.assertEqual(task_id, self.by_name["Task-1"].task_id)
        self.assertTrue(frames, "no stack captured")
        self.assertEqual(frames[0][0], "main")
        self.assertEqual(frames[0][2], SCENARIO)
        self.assertEqual(frames[0][3], source_line(SCENARIO, "time.sleep(0.3)"))
        self.assertFalse([f for f in frames if "weft_asyncio" in f[2]])

    def test_loop_lag(self):
        lags = [e.fields[0] for e in self.trace.events if e.name == "loop_lag"]
        # The heartbeat's 20 ms timer comes due during the 300 ms block and runs after it: that
        # sample is at least 150 ms late. Samples are taken while callbacks run, one per 100 ms at
        # most: the heartbeat alone gives two before the block.
        self.assertGreaterEqual(len(lags), 2)
        self.assertGreaterEqual(max(lags), 150_000_000)
        self.assertTrue(all(lag >= 0 for lag in lags))

    def test_async_spans(self):
        begins = {e.fields[0]: e for e in self.trace.events if e.name == "async_span_begin"}
        ends = [e.fields[0] for e in self.trace.events if e.name == "async_span_end"]
        self.assertEqual(sorted(ends), sorted(begins))
        names = sorted(e.fields[3] for e in begins.values())
        self.assertEqual(names, ["middle", "middle", "outer"])
        outer = next(e for e in begins.values() if e.fields[3] == "outer")
        self.assertEqual(outer.fields[1], 0)
        for e in begins.values():
            if e.fields[3] == "middle":
                self.assertEqual(e.fields[1], outer.fields[0])  # inherited through the task
                self.assertEqual(e.fields[2][0], "middle")

    def test_thread_spans(self):
        spans = [(e.name, e.fields, e.stream) for e in self.trace.events
                 if e.name.startswith("thread_span")]
        loop_spans = [s for s in spans if s[0] == "thread_span_begin" and s[1][1] == "loop-blocking"]
        self.assertEqual(len(loop_spans), 1)
        worker = next(s["stream_id"] for s in self.trace.streams.values() if "worker" in s["tags"])
        on_worker = [(n, f[-1] if n == "thread_span_begin" else None) for n, f, st in spans
                     if st == worker]
        self.assertEqual(on_worker, [("thread_span_begin", "blocking_work"),
                                     ("thread_span_begin", "blocking_work"),
                                     ("thread_span_end", None), ("thread_span_end", None)])


if __name__ == "__main__":
    unittest.main()
