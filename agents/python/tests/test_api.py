"""The public API, the command line runner, exit codes and exceptions."""

import os
import sys
import unittest

import weft_reader
from support import run, run_traced, tasks_of, trace_path  # (puts the agent on sys.path)

import weft_asyncio  # noqa: E402


class ApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out_dir = os.path.dirname(trace_path("x"))
        cls.proc = run(["api_usage.py", cls.out_dir])

    def test_program_output(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        self.assertEqual(self.proc.stderr, "")
        lines = self.proc.stdout.splitlines()
        self.assertEqual(lines, [
            "after import: [False, False, False] False",
            "started: [True, True, True] True",
            "second start refused",
            "result: 45",
            "stats: 0",
            "stopped: started.weft [False, False, False] False",
            "stop again: None",
            "bounded: 1225 from_env.weft",
            "after tracing(): [False, False, False]",
            "py task: True 7 py-task",
            "spans without tracing are no-ops",
        ])

    def test_start_stop_trace(self):
        trace = weft_reader.read(os.path.join(self.out_dir, "started.weft"))
        tasks = tasks_of(trace)
        self.assertEqual(len(tasks), 1 + 10 + 2)  # main, sleepers, asyncio.run's shutdown tasks
        self.assertEqual(sum(1 for t in tasks.values() if t.coro == "sleeper"), 10)
        self.assertFalse([e for e in trace.events if e.name == "loop_lag"])  # disabled
        self.assertFalse(os.path.exists(os.path.join(self.out_dir, "again.weft")))

    def test_task_bound_keeps_memory_flat(self):
        trace = weft_reader.read(os.path.join(self.out_dir, "from_env.weft"))
        tasks = tasks_of(trace)
        dropped = sum(e.fields[0] for e in trace.events if e.name == "events_dropped")
        self.assertGreater(len(tasks), 0)
        self.assertGreaterEqual(dropped, 1 + 50 + 2 - len(tasks))  # each untracked task loses events
        live, peak = 0, 0  # tasks in flight at once never exceed the bound
        for e in trace.events:
            if e.name == "task_created":
                live += 1
            elif e.name == "task_completed":
                live -= 1
            peak = max(peak, live)
        self.assertLessEqual(peak, 5)

    def test_python_task_factory(self):
        trace = weft_reader.read(os.path.join(self.out_dir, "pytask.weft"))
        tasks = {t.name: t for t in tasks_of(trace).values()}
        self.assertIn("py-task", tasks)
        t = tasks["py-task"]
        self.assertEqual((t.coro, t.outcome), ("sleeper", 0))
        self.assertEqual([a[2] for a in t.awaits], ["sleep"])
        self.assertEqual(len(t.slices), 2)


class RunnerTest(unittest.TestCase):
    def _compare(self, args):
        plain = run(["crash.py", *args])
        traced, out = run_traced("crash.py", args, out_name="crash-%s.weft" % "-".join(args))
        self.assertEqual(traced.returncode, plain.returncode)
        self.assertEqual(traced.stdout, plain.stdout)
        self.assertEqual(traced.stderr, plain.stderr)
        return plain, out

    def test_uncaught_exception(self):
        plain, out = self._compare(())
        self.assertEqual(plain.returncode, 1)
        self.assertTrue(plain.stderr.strip().endswith("RuntimeError: crash as requested"))
        tasks = {t.name: t for t in tasks_of(weft_reader.read(out)).values()}
        self.assertEqual((tasks["boom"].outcome, tasks["boom"].message),
                         (2, "RuntimeError: crash as requested"))
        self.assertEqual(tasks["Task-1"].outcome, 2)

    def test_exit_code(self):
        plain, out = self._compare(("4",))
        self.assertEqual(plain.returncode, 4)
        tasks = tasks_of(weft_reader.read(out))
        self.assertEqual(len([t for t in tasks.values() if t.coro == "main"]), 1)

    def test_version_and_info(self):
        proc = run(["-m", "weft_asyncio", "--version"])
        self.assertEqual((proc.returncode, proc.stdout.strip()), (0, "weft_asyncio " + weft_asyncio.__version__))
        proc = run(["-m", "weft_asyncio", "--info"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        info = dict(line.split(None, 1) for line in proc.stdout.splitlines()[1:])
        self.assertEqual(set(info), {"python", "hooks", "encoder", "compression"})
        self.assertIn(sys.version.split()[0], info["python"])

    def test_module_mode_and_missing_script(self):
        out = trace_path("module.weft")
        proc = run(["-m", "weft_asyncio", "-o", out, "-m", "scenario", "y"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("args: ['y']", proc.stdout)
        # As with python -m: what follows the module, options included, is the module's.
        proc = run(["-m", "weft_asyncio", "-o", out, "--listen", "off", "-m", "scenario", "-v",
                    "--lag-interval-ms", "5"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("args: ['-v', '--lag-interval-ms', '5']", proc.stdout)
        self.assertTrue(weft_reader.read(out).events)
        proc = run(["-m", "weft_asyncio"])
        self.assertEqual(proc.returncode, 2)

    def test_options_are_applied(self):
        proc, out = run_traced("scenario.py", (), out_name="options.weft",
                               options=("--blocking-threshold-ms", "0", "--lag-interval-ms", "20",
                                        "--no-compress"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        trace = weft_reader.read(out)
        self.assertFalse([e for e in trace.events if e.name == "blocking"])
        self.assertEqual({b["codec"] for b, _ in trace.blocks}, {0})
        lags = [e for e in trace.events if e.name == "loop_lag"]
        self.assertGreater(len(lags), 10)


if __name__ == "__main__":
    unittest.main()
