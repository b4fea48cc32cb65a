"""The .weft writer: header, framing, CRC, record order, blocks, codecs, flushing."""

import os
import struct
import sys
import tempfile
import threading
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

import weft_reader  # noqa: E402
from weft_asyncio import _writer  # noqa: E402


class WriterTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "w.weft")

    def tearDown(self):
        self.tmp.cleanup()

    def test_file_header_and_frame_layout(self):
        self.assertEqual(_writer.file_header(),
                         bytes.fromhex("8957454654 0d0a1a 0100 0000 00000000".replace(" ", "")))
        body = b"\xa1\x61\x61\x01"
        rec = _writer.frame(3, body)
        self.assertEqual(rec[:4], b"WREC")
        self.assertEqual(rec[4:8], b"\x03\x00\x00\x00")
        self.assertEqual(struct.unpack("<I", rec[8:12])[0], len(body))
        self.assertEqual(struct.unpack("<I", rec[12:16])[0],
                         zlib.crc32(rec[4:12] + body) & 0xFFFFFFFF)
        self.assertEqual(rec[16:], body)

    def _record_some(self, writer, n, name="x"):
        buf = writer.buffer()
        t = _writer.now_ticks()
        for i in range(n):
            buf.add(_writer.TASK_CREATED, t + i * 10, i + 1, 0, buf.string("%s-%d" % (name, i)),
                    buf.string("coro"), buf.location(("f", "mod", "/file.py", i)))
            buf.add(_writer.TASK_RUN_BEGIN, t + i * 10 + 1, i + 1)
            buf.add(_writer.TASK_RUN_END, t + i * 10 + 5, i + 1)
        return t

    def _check_file(self, compress):
        writer = _writer.Writer(self.path, block_events=64, compress=compress)
        t = self._record_some(writer, 100)
        writer.close()
        trace = weft_reader.read(self.path)
        self.assertEqual(trace.process["tick_frequency"], 1_000_000_000)
        self.assertEqual(trace.process["pid"], os.getpid())
        self.assertLessEqual(trace.process["start_ticks"], t)
        self.assertEqual(len(trace.streams), 1)
        stream = next(iter(trace.streams.values()))
        self.assertEqual(stream["thread_name"], threading.current_thread().name)
        self.assertEqual(stream["thread_id"], threading.get_native_id())
        self.assertGreater(len(trace.blocks), 4)  # 300 events in blocks of 64
        self.assertEqual(sum(b["nb_objects"] for b, _ in trace.blocks), 300)
        codecs = {b["codec"] for b, _ in trace.blocks}
        self.assertEqual(codecs, {1} if compress and _writer._zstd else {0})
        created = [e for e in trace.events if e.name == "task_created"]
        self.assertEqual(len(created), 100)
        for i, e in enumerate(created):
            self.assertEqual(e.ticks, t + i * 10)
            self.assertEqual(e.fields, [i + 1, 0, "x-%d" % i, "coro", ("f", "mod", "/file.py", i)])
        ends = [e for e in trace.events if e.name == "task_run_end"]
        self.assertEqual([e.ticks for e in ends], [t + i * 10 + 5 for i in range(100)])
        for block, payload in trace.blocks:  # strings are interned once per block
            self.assertEqual(len(payload["strings"]), len(set(payload["strings"])))

    def test_compressed_file_reads_back(self):
        self._check_file(compress=True)

    def test_uncompressed_file_reads_back(self):
        self._check_file(compress=False)

    def test_streams_per_thread_and_tags(self):
        writer = _writer.Writer(self.path, compress=False)
        self._record_some(writer, 3)

        def worker():
            buf = writer.buffer()
            buf.worker = True
            buf.add(_writer.THREAD_SPAN_BEGIN, _writer.now_ticks(), 0, buf.string("w"))
            buf.add(_writer.THREAD_SPAN_END, _writer.now_ticks(), 0)

        th = threading.Thread(target=worker, name="pool-1")
        th.start()
        th.join()
        writer.close()
        trace = weft_reader.read(self.path)
        names = {s["thread_name"]: s for s in trace.streams.values()}
        self.assertEqual(set(names), {threading.current_thread().name, "pool-1"})
        self.assertIn("worker", names["pool-1"]["tags"])
        spans = [e for e in trace.events if e.stream == names["pool-1"]["stream_id"]]
        self.assertEqual([e.name for e in spans], ["thread_span_begin", "thread_span_end"])
        self.assertEqual(spans[0].fields, [None, "w"])

    def test_dropped_events_are_reported(self):
        writer = _writer.Writer(self.path, compress=False)
        buf = writer.buffer()
        buf.dropped = 7
        writer.close()
        trace = weft_reader.read(self.path)
        self.assertEqual([(e.name, e.fields) for e in trace.events], [("events_dropped", [7])])

    def test_reader_detects_corruption(self):
        writer = _writer.Writer(self.path, compress=False)
        self._record_some(writer, 5)
        writer.close()
        with open(self.path, "r+b") as f:
            data = bytearray(f.read())
            data[-3] ^= 0xFF
            f.seek(0)
            f.write(data)
        with self.assertRaises(weft_reader.FormatError):
            weft_reader.read(self.path)

    def test_old_blocks_are_flushed_by_time(self):
        writer = _writer.Writer(self.path, block_events=10_000, flush_interval_s=0.0,
                                compress=False)
        self._record_some(writer, 3)
        self.assertGreaterEqual(writer._queue.qsize() + writer.blocks_written, 1)
        writer.close()
        self.assertGreater(len(weft_reader.read(self.path).blocks), 1)


    def test_writer_thread_takes_old_events_and_the_owner_goes_on(self):
        # take_old sends what a buffer holds (its times, strings and a task's name read then);
        # the owner's next block starts after it, with every event exactly once.
        writer = _writer.Writer(self.path, block_events=10_000, flush_interval_s=3600.0,
                                compress=False)
        buf = writer.buffer()
        base = buf.begin_ticks
        ticks = [base + 1000 * (i + 1) for i in range(9)]
        for i, t in enumerate(ticks[:3]):
            buf.append(_writer.LOOP_LAG, t, i)
        buf.append(_writer.THREAD_SPAN_BEGIN, ticks[3], 0, buf.string("first"))

        class Task:  # what pending_names needs of a task
            def get_name(self):
                return "named-late"

        task = Task()
        created = _writer.new_created_event(ticks[4] - buf.last, 7, 0, buf.string("coro"), 0)
        # (as the hooks note it: the event itself in a list, its index in the native EventLog)
        pending = created if isinstance(buf.events, list) else len(buf.events)
        buf.events.append(created)
        buf.last = ticks[4]
        buf.pending_names.append((pending, __import__("weakref").ref(task)))

        self.assertIsNone(buf.take_old(base + 10))  # younger than the interval
        block = buf.take_old(base + 10 ** 13)
        self.assertEqual(len(block[-1]), 5)
        self.assertEqual(block[2], ticks[4])  # ends at its last event
        writer._write_block(block)
        self.assertIsNone(buf.take_old(base + 10 ** 13))  # nothing new since
        for i, t in enumerate(ticks[5:8]):
            buf.append(_writer.LOOP_LAG, t, 10 + i)
        buf.append(_writer.THREAD_SPAN_BEGIN, ticks[8], 0, buf.string("second"))
        writer.close()

        trace = weft_reader.read(self.path)
        self.assertEqual(len(trace.blocks), 2)
        self.assertEqual([e.ticks for e in trace.events], ticks)
        self.assertEqual([e.fields[0] for e in trace.events if e.name == "loop_lag"],
                         [0, 1, 2, 10, 11, 12])
        spans = [e.fields[1] for e in trace.events if e.name == "thread_span_begin"]
        self.assertEqual(spans, ["first", "second"])
        created = [e for e in trace.events if e.name == "task_created"]
        self.assertEqual([(e.fields[0], e.fields[2], e.fields[3]) for e in created],
                         [(7, "named-late", "coro")])

    def test_quiet_loop_thread_block_is_written_by_the_writer_thread(self):
        # Run slices check only whether a block is full; the writer thread hands over events
        # that waited too long, so they reach the file while the program still runs, and
        # nothing is scheduled on the loop for it.
        import asyncio
        import weft_asyncio

        async def child(i):
            await asyncio.sleep(0)
            return i

        async def main():
            await asyncio.gather(*(child(i) for i in range(5)))
            await asyncio.sleep(0.6)  # idle: nothing runs on the loop, the writer thread flushes
            return weft_reader.read(self.path)

        weft_asyncio.start(self.path, flush_interval_s=0.2, lag_interval_ms=0)
        try:
            during = asyncio.run(main())
        finally:
            weft_asyncio.stop()
        created = [e for e in during.events if e.name == "task_created"]
        self.assertGreaterEqual(len(created), 6)  # main and its five children, before stop()


if __name__ == "__main__":
    unittest.main()
