"""The native hooks (weft_asyncio._speedups) record exactly what the pure-Python ones record."""

import os
import unittest

from support import run, trace_path

import weft_reader


def native_available():
    return run(["-c", "import weft_asyncio._speedups"]).returncode == 0


@unittest.skipUnless(native_available(), "weft_asyncio._speedups is not built")
class NativeHooksTest(unittest.TestCase):
    def trace(self, pure):
        out = trace_path("deterministic-%s.weft" % ("pure" if pure else "native"))
        proc = run(["-m", "weft_asyncio", "-o", out, "--lag-interval-ms", "0",
                    "--blocking-threshold-ms", "0", "deterministic.py"],
                   extra_env={"WEFT_ASYNCIO_PURE": "1" if pure else "0"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout, weft_reader.read(out)

    def test_same_events_as_the_pure_path(self):
        pure_out, pure = self.trace(True)
        native_out, native = self.trace(False)
        self.assertEqual(native_out, pure_out)
        self.assertEqual(native_out.strip(), "[0, 1, 2, 'ValueError', 4, 5] 5 22")
        # Event by event, times aside: kinds, task ids, parents, names, outcomes, locations.
        def events(trace):
            return [(e.name, e.fields) for e in trace.events]
        self.assertEqual(events(native), events(pure))
        awaits = {e.fields[1] for e in native.events if e.name == "await_begin"}
        self.assertLessEqual({"Task<waiter>", "Task<victim>", "Task<leaf>", "gather", "Future",
                              "Queue.get", "Queue.put"}, awaits)
        failed = [e.fields for e in native.events if e.name == "task_completed" and e.fields[1] == 2]
        self.assertEqual([f[2] for f in failed], ["ValueError: three"])
        kinds = {e.name for e in native.events}
        self.assertLessEqual({"task_created", "task_run_begin", "task_run_end", "task_completed",
                              "await_begin", "await_end"}, kinds)

    def test_info_names_the_native_hooks(self):
        proc = run(["-m", "weft_asyncio", "--info"], extra_env={"WEFT_ASYNCIO_PURE": "0"})
        self.assertIn("C (weft_asyncio._speedups)", proc.stdout)
        proc = run(["-m", "weft_asyncio", "--info"], extra_env={"WEFT_ASYNCIO_PURE": "1"})
        self.assertIn("WEFT_ASYNCIO_PURE", proc.stdout)


if __name__ == "__main__":
    unittest.main()
