"""A background thread that samples blocked event-loop threads and flushes ended threads."""

import threading


class Watchdog:
    def __init__(self, recorder, writer, period_s):
        self._recorder = recorder
        self._writer = writer
        self._period = period_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="weft-watchdog", daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def _run(self):
        wait = self._stop.wait
        rounds = 0
        while not wait(self._period):
            try:
                self._recorder.sample_blocked()
                rounds += 1
                # About once a second: threads that ended keep no one to flush their events.
                if rounds * self._period >= 1.0:
                    rounds = 0
                    self._writer.flush_dead_threads()
                    self._recorder.sweep()
            except Exception:
                pass  # sampling is best effort; the traced program must not notice
