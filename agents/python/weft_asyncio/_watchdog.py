"""A background thread that samples blocked event-loop threads and flushes ended threads.

With weft_asyncio._speedups the thread is native: it reads the loop threads' active_since
without the GIL and takes the GIL only to sample a blocked loop, and once a second. Without it,
a Python thread does the same, taking the GIL at every period."""

import threading

from ._native import speedups as _speedups


class Watchdog:
    def __init__(self, recorder, writer, period_s):
        self._recorder = recorder
        self._writer = writer
        self._period = period_s
        self._stop = threading.Event()
        self._thread = None
        self._native = False

    def start(self):
        if _speedups is not None:
            _speedups.watch_start(self._period, self._recorder.threshold,
                                  self._recorder.sample_blocked, self._every_second)
            self._native = True
            return
        self._thread = threading.Thread(target=self._run, name="weft-watchdog", daemon=True)
        self._thread.start()

    def stop(self):
        if self._native:
            self._native = False
            _speedups.watch_stop()
            return
        self._stop.set()
        thread = self._thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _every_second(self):
        """Threads that ended keep no one to flush their events; tasks collected unfinished."""
        self._writer.flush_dead_threads()
        self._recorder.sweep()

    def _run(self):
        wait = self._stop.wait
        rounds = 0
        while not wait(self._period):
            try:
                self._recorder.sample_blocked()
                rounds += 1
                if rounds * self._period >= 1.0:
                    rounds = 0
                    self._every_second()
            except Exception:
                pass  # sampling is best effort; the traced program must not notice
