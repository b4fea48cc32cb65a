"""The traced program's loops are left alone: nothing scheduled on them, their clocks not called,
no object kept alive; and event-loop lag read from what the hooks see."""

import asyncio
import gc
import os
import sys
import tempfile
import threading
import time
import unittest
import weakref

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

import weft_asyncio  # noqa: E402
import weft_reader  # noqa: E402


class Traced:
    """Traces the block it wraps into a file of its own; `trace` is read after."""

    def __init__(self, **options):
        self.options = options
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "t.weft")
        self.trace = None

    def __enter__(self):
        weft_asyncio.start(self.path, listen=False, **self.options)
        return self

    def __exit__(self, *exc):
        weft_asyncio.stop()
        self.trace = weft_reader.read(self.path)
        self.tmp.cleanup()
        return False

    def lags_ms(self):
        return [e.fields[0] / 1e6 for e in self.trace.events if e.name == "loop_lag"]


class NothingOnTheLoopTest(unittest.TestCase):
    def test_no_timer_and_no_callback_of_the_agent(self):
        # Past the lag interval and the flush interval: an agent that kept its loop state with
        # timers would have them in _scheduled by now.
        async def main():
            loop = asyncio.get_running_loop()
            await asyncio.gather(*(asyncio.sleep(0.01 * i) for i in range(5)))
            await asyncio.sleep(0.25)
            return ([h for h in loop._scheduled if not h.cancelled()], list(loop._ready))

        with Traced(lag_interval_ms=10, flush_interval_s=0.05):
            scheduled, ready = asyncio.run(main())
        self.assertEqual(scheduled, [])
        self.assertEqual(ready, [])

    def test_a_loop_clock_of_its_own_is_never_called(self):
        # A test harness's loop with a virtual clock: the agent must not read it (each read
        # would move some harnesses' time) nor add to the times it is read.
        class CountingLoop(asyncio.SelectorEventLoop):
            reads = 0

            def time(self):
                CountingLoop.reads += 1
                return super().time()

        async def work():
            for _ in range(20):
                await asyncio.sleep(0.002)
                asyncio.get_running_loop().call_soon(lambda: None)

        def run():
            CountingLoop.reads = 0
            loop = CountingLoop()
            try:
                loop.run_until_complete(work())
            finally:
                loop.close()
            return CountingLoop.reads

        untraced = run()
        with Traced(lag_interval_ms=1) as traced:
            during = run()
        self.assertEqual(during, untraced)
        self.assertTrue(traced.lags_ms(), "no lag sample from call_soon timing")

    def test_finished_threads_and_unrun_tasks_are_not_kept_alive(self):
        # A stopped executor thread's object and a task whose loop closed before it ran are the
        # program's to collect (test harnesses check both).
        async def coro():
            return 1

        def scenario():
            loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(loop.run_in_executor(None, time.sleep, 0.001))
                loop.run_until_complete(loop.shutdown_default_executor())
                threads = [weakref.ref(t) for t in threading._dangling if t.name.startswith("asyncio_")]
                task = loop.create_task(coro())
                task_ref = weakref.ref(task)
            finally:
                loop.close()
            task._log_destroy_pending = False
            del task
            return threads, task_ref

        with Traced(lag_interval_ms=1):
            threads, task = scenario()
            gc.collect()
            self.assertIsNone(task())
            self.assertTrue(threads)
            self.assertEqual([t() for t in threads if t() is not None], [])


    def test_debug_mode_sees_what_it_sees_untraced(self):
        # asyncio's debug mode records where each callback was scheduled and refuses coroutines
        # given to run_in_executor; the event loop policy is created only when the program asks.
        import asyncio.events as events

        async def coro():
            pass

        policy = events._event_loop_policy
        with Traced():
            self.assertIs(events._event_loop_policy, policy)
            loop = asyncio.SelectorEventLoop()
            loop.set_debug(True)
            try:
                handle = loop.call_soon(lambda: None)  # <- the line the stack ends on
                line = sys._getframe().f_lineno - 1
                self.assertEqual(handle._source_traceback[-1][:3], (__file__, line, self._testMethodName))
                with self.assertRaises(TypeError):
                    loop.run_until_complete(loop.run_in_executor(None, coro))
            finally:
                loop.close()


class PassiveLagTest(unittest.TestCase):
    def test_a_timer_that_runs_late_gives_its_lateness(self):
        async def ticker(stop):
            while not stop.is_set():
                await asyncio.sleep(0.01)

        async def main():
            stop = asyncio.Event()
            beat = asyncio.create_task(ticker(stop))
            await asyncio.sleep(0.05)
            await asyncio.sleep(0)  # the ticker's step runs first: its next timer is pending
            time.sleep(0.2)  # and comes due meanwhile
            await asyncio.sleep(0.05)
            stop.set()
            await beat

        with Traced(lag_interval_ms=20) as traced:
            asyncio.run(main())
        lags = traced.lags_ms()
        self.assertGreaterEqual(max(lags), 150, lags)
        self.assertLess(max(lags), 1000, lags)
        self.assertTrue(all(lag >= 0 for lag in lags))

    def run_callbacks(self, *callbacks, interval_ms=1):
        """Runs `callbacks` (each given the loop) on a fresh loop, traced; the last stops it."""
        loop = asyncio.new_event_loop()
        with Traced(lag_interval_ms=interval_ms) as traced:
            try:
                for callback in callbacks:
                    loop.call_soon(callback, loop)
                loop.run_forever()
            finally:
                loop.close()
        return traced.lags_ms()

    def test_a_callback_queued_behind_a_long_one_gives_its_wait(self):
        # No timer: the newest callback waiting when a sample is due is timed until it runs.
        lags = self.run_callbacks(lambda loop: time.sleep(0.08), lambda loop: loop.stop())
        self.assertTrue(any(70 <= lag < 1000 for lag in lags), lags)

    def test_a_callback_scheduled_then_held_up_gives_its_wait(self):
        # Nothing waits when the sample is due: the next callback scheduled is timed from its
        # call_soon to its run.
        def first(loop):
            loop.call_soon(loop.stop)
            time.sleep(0.08)

        lags = self.run_callbacks(first)
        self.assertTrue(any(70 <= lag < 1000 for lag in lags), lags)

    def test_an_idle_loop_records_no_lag(self):
        async def main():
            await asyncio.sleep(0.3)

        with Traced(lag_interval_ms=10) as traced:
            asyncio.run(main())
        self.assertLessEqual(len(traced.lags_ms()), 2)  # the loop ran two or three callbacks

    def test_lag_off(self):
        async def main():
            await asyncio.sleep(0.05)
            time.sleep(0.05)
            await asyncio.sleep(0.01)

        with Traced(lag_interval_ms=0) as traced:
            asyncio.run(main())
        self.assertEqual(traced.lags_ms(), [])


if __name__ == "__main__":
    unittest.main()
