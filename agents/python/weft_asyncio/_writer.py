"""Writes Weft trace records (docs/FORMAT.md) to a file.

Threads record events into their own ThreadBuffer without any lock; a full buffer is handed as raw
Python data to one writer thread through a queue, and that thread does the CBOR encoding,
compression, framing and file I/O. The writer thread also hands over, itself, the events that
have waited longer than the flush interval in a buffer whose thread has gone quiet (an idle event
loop): nothing is ever scheduled on the program's loops for it. Nothing here raises into the
traced program: failures are counted and recording degrades to dropping data.
"""

import os
import queue
import socket
import struct
import sys
import threading
import time
import uuid
import weakref
import zlib

from . import _cbor

try:  # cbor2's C encoder, when installed, for records, tables and the rarer events
    import cbor2 as _cbor2

    def _dumps(obj):
        return _cbor2.dumps(obj)

    CBOR_BACKEND = "cbor2"
except Exception:  # pragma: no cover - depends on the interpreter
    _dumps = _cbor.dumps
    CBOR_BACKEND = "builtin"

encode_event = _dumps  # an event of any shape or values: for the rarer events

from ._native import speedups as _speedups  # noqa: E402
from ._cbor import (U32, U64, EVENT7_SIZE, FIELD7_C, head as _event_head,  # noqa: E402
                    event_dt, pack7_into, set_field7)

try:
    import zstandard as _zstd
except Exception:  # pragma: no cover - depends on the interpreter
    _zstd = None

FILE_MAGIC = b"\x89WEFT\r\n\x1a"
VERSION_MAJOR = 1
VERSION_MINOR = 0
RECORD_SYNC = b"WREC"
KIND_PROCESS, KIND_STREAM, KIND_BLOCK = 1, 2, 3
MAX_BODY = 64 * 1024 * 1024

# Event kinds (docs/FORMAT.md, "Events").
THREAD_SPAN_BEGIN = 1
THREAD_SPAN_END = 2
ASYNC_SPAN_BEGIN = 3
ASYNC_SPAN_END = 4
TASK_CREATED = 5
TASK_RUN_BEGIN = 6
TASK_RUN_END = 7
TASK_COMPLETED = 8
AWAIT_BEGIN = 9
AWAIT_END = 10
BLOCKING = 11
LOOP_LAG = 12
EVENTS_DROPPED = 13

# Ready-made event heads for the packers of the hot events (see _cbor: "events").
HEAD_RUN_BEGIN = _event_head(TASK_RUN_BEGIN, 3)
HEAD_RUN_END = _event_head(TASK_RUN_END, 3)
HEAD_AWAIT_END = _event_head(AWAIT_END, 3)
HEAD_AWAIT_BEGIN = _event_head(AWAIT_BEGIN, 5)
HEAD_COMPLETED = _event_head(TASK_COMPLETED, 5)
HEAD_CREATED = _event_head(TASK_CREATED, 7)


def new_created_event(dt, task_id, parent_id, coro_name, location):
    """A task_created event with its name field still 0, as a bytearray (set_field7 fills in the
    name), or as bytes if a value does not fit the fixed widths (the name then stays unknown)."""
    event = bytearray(EVENT7_SIZE)
    try:
        pack7_into(event, 0, HEAD_CREATED, U64, dt, U32, task_id, U32, parent_id, U32, 0, U32,
                   coro_name, U32, location)
        return event
    except struct.error:
        return encode_event((TASK_CREATED, dt, task_id, parent_id, 0, coro_name, location))

_frame_header = struct.Struct("<4sBBHII")
_len_kind = struct.Struct("<BBHI")

now_ticks = time.perf_counter_ns
TICK_FREQUENCY = 1_000_000_000
MAX_BLOCK_STRING_BYTES = 262144  # new strings in one block before it is handed over
LIVE_FLUSH_TICKS = 50_000_000  # 50 ms: a block's age at most while a viewer is attached
MIN_AGE_CHECK_TICKS = 25_000_000  # the writer thread looks for old events at most every 25 ms
BATCH_PERIOD_S = 0.02  # the writer thread wakes at most this often to write what was queued


def file_header():
    return FILE_MAGIC + struct.pack("<HHI", VERSION_MAJOR, VERSION_MINOR, 0)


def _crc32(data, crc):
    """zlib.crc32 in slices small enough that zlib keeps the GIL: the writer thread taking the
    GIL back after each release costs the program's threads more than the checksum itself
    (see Writer._run)."""
    view = memoryview(data)
    for i in range(0, len(view), _CRC_SLICE):
        crc = zlib.crc32(view[i:i + _CRC_SLICE], crc)
    return crc


_CRC_SLICE = 4096  # zlib.crc32 releases the GIL above 5 KiB


def frame(kind, body):
    """A record: the 16-byte frame header followed by `body`."""
    if len(body) > MAX_BODY:
        raise ValueError("record body of %d bytes exceeds the 64 MiB limit" % len(body))
    covered = _len_kind.pack(kind, 0, 0, len(body))
    crc = _crc32(body, zlib.crc32(covered)) & 0xFFFFFFFF
    return _frame_header.pack(RECORD_SYNC, kind, 0, 0, len(body), crc) + body


if _speedups is not None:
    _BufferFields = _speedups.BufferBase  # the same fields as C members, for the native hooks
    _new_events = _speedups.EventLog       # a block's events back to back in one buffer
else:
    class _BufferFields:
        """The fields of a ThreadBuffer the hooks write on every event."""
        __slots__ = ("events", "last", "max_events", "generation", "strings", "locations",
                     "string_list", "string_bytes", "pending_names", "dropped")

    _new_events = list


def _events_dt(events):
    """The sum of the dt of encoded events: the tick of the last, from the tick before them."""
    if not isinstance(events, list):
        return events.sum_dt()
    total = 0
    for event in events:
        total += event_dt(event)
    return total


class ThreadBuffer(_BufferFields):
    """The events of one thread since its last block, with that block's interned strings and
    locations. Only its own thread appends to it. Events are stored already CBOR-encoded, as
    bytes, with dt taken from `last` (the previous event's tick) when recording: handing a block
    over then costs one join. A task_created event is a bytearray whose name field is filled in
    later (see pending_names). Hot paths append to `events` directly, with the packers of _cbor.
    With the native hooks, `events` is an EventLog (all events in one buffer) and a task_created
    event is known by its index there.

    Handing over takes `lock`; appending does not. The writer thread may hand over the events of a
    quiet buffer (take_old): it sends a copy of what `events` holds then and notes how many it
    sent (`sent`) and the tick of the last (`sent_ticks`), from which the owner's own flush goes
    on. Lists are only appended to or sliced, each an atomic step, so no event is lost or sent
    twice."""

    __slots__ = ("writer", "stream_id", "thread_id", "thread_name", "ident", "thread",
                 "event_loop", "worker", "info_sent", "location_list", "begin_ticks",
                 "object_offset", "flush_after", "lock", "sent", "sent_ticks")

    def __init__(self, writer):
        self.writer = writer
        self.stream_id = uuid.uuid4().bytes
        current = threading.current_thread()
        # Weakly: a finished thread's object is the program's to collect (test harnesses count
        # the Thread objects still alive).
        self.thread = weakref.ref(current)
        self.thread_name = current.name
        self.ident = threading.get_ident()
        self.thread_id = threading.get_native_id()
        self.event_loop = False
        self.worker = False
        self.info_sent = False
        self.object_offset = 0
        self.dropped = 0
        self.generation = 0     # counts blocks: tells whether an event is still in this one
        self.flush_after = writer.current_flush_ticks
        self.lock = threading.RLock()
        self._reset(now_ticks())

    def _reset(self, ticks):
        self.generation += 1
        self.max_events = self.writer.block_events
        self.events = _new_events()
        self.strings = {}
        self.string_list = []
        self.locations = {}
        self.location_list = []
        self.string_bytes = 0
        self.begin_ticks = ticks
        self.last = ticks
        self.sent = 0           # events of this block the writer thread already handed over
        self.sent_ticks = ticks  # the tick of the last of them
        # (task_created event, weak reference to the task): the name field is filled in when
        # the task completes or, if it is still alive, when the block is handed over.
        # asyncio.create_task(name=...) and TaskGroup.create_task set the name only after the
        # Task exists (and has scheduled its first step), so the name is read as late as possible.
        self.pending_names = []

    def string(self, text):
        """The block-local id of `text` (0 for None or "")."""
        if not text:
            return 0
        sid = self.strings.get(text)
        if sid is None:
            self.string_list.append(text)
            sid = len(self.string_list)
            self.strings[text] = sid
            self.string_bytes += len(text)
            if self.string_bytes > MAX_BLOCK_STRING_BYTES:
                self.max_events = 0  # hand the block over at the next check
        return sid

    def location(self, loc):
        """The block-local id of `loc`, a (name, target, file, line) tuple, or 0 for None."""
        if loc is None:
            return 0
        lid = self.locations.get(loc)
        if lid is None:
            s = self.string
            self.location_list.append((s(loc[0]), s(loc[1]), s(loc[2]), loc[3]))
            lid = len(self.location_list)
            self.locations[loc] = lid
        return lid

    def append(self, kind, ticks, *fields):
        """Append one event at `ticks`, encoded in full, without handing the block over: for
        callers that hold on to `events` (the run hook) and values past the hot packers' widths."""
        self.events.append(encode_event((kind, ticks - self.last) + fields))
        self.last = ticks

    def add(self, kind, ticks, *fields):
        """Append one event at `ticks`; hand the block over when it is full or old."""
        self.append(kind, ticks, *fields)
        self.check(ticks)

    def check(self, ticks):
        """Hand the block over if it is full or older than the flush interval."""
        if len(self.events) >= self.max_events or ticks - self.begin_ticks > self.flush_after:
            self.flush()

    def flush(self):
        """Hand this block to the writer thread (when it is empty, nothing is written)."""
        with self.lock:
            sent = self.sent
            if self.pending_names:
                string = self.string
                for event, ref in self.pending_names:
                    task = ref()
                    if task is not None:
                        try:
                            self.set_created_name(event, string(task.get_name()))
                        except Exception:
                            pass
            if self.dropped:
                t = now_ticks()
                self.events.append(_dumps((EVENTS_DROPPED, t - self.last, self.dropped)))
                self.last = t
                self.dropped = 0
            events = self.events[sent:] if sent else self.events
            if not events:
                if sent:
                    self._reset(max(now_ticks(), self.last))  # all of it went out already
                return
            end = max(now_ticks(), self.last)
            block = (self, self.sent_ticks if sent else self.begin_ticks, end, self.object_offset,
                     self.string_list, self.location_list, events)
            self.object_offset += len(events)
            self._reset(end)
            # Queued under the lock, so that it is written before anything take_old hands over
            # after it: blocks of a stream reach the file in their object_offset order.
            self.writer.submit_block(block)

    def take_old(self, now, submit=None):
        """Called by the writer thread: the events this buffer has held for longer than the flush
        interval, as a block to write, or None; `submit(block)` is called with it under the lock,
        so that it is queued in order with the blocks the owner queues. The owner thread goes on
        appending meanwhile."""
        if len(self.events) <= self.sent:
            return None
        with self.lock:
            events = self.events
            start = self.sent
            begin = self.sent_ticks
            if now - begin < self.flush_after:
                return None
            chunk = events[start:]  # one atomic copy: what was appended before this instant
            if not chunk:
                return None
            # Every string and location these events name was added before them.
            strings = self.string_list[:]
            locations = self.location_list[:]
            if self.pending_names:
                self._name_created(chunk, start, strings)
            end = begin + _events_dt(chunk)
            self.sent = start + len(chunk)
            self.sent_ticks = end
            offset = self.object_offset
            self.object_offset += len(chunk)
            block = (self, begin, end, offset, strings, locations, chunk)
            if submit is not None:
                submit(block)
        return block

    def set_created_name(self, event, sid):
        """Fill in the name field of a task_created event of this block: a bytearray in a list
        of events, or an index in an EventLog."""
        if type(event) is int:
            self.events.patch_u32(event, FIELD7_C, sid)
        else:
            set_field7(event, FIELD7_C, sid)

    def _name_created(self, chunk, start, strings):
        """Task names for the task_created events in `chunk` (the events from index `start`),
        read now: the owner fills them in only when it hands its block over. Strings the owner's
        table lacks go at the end of the copy `strings`; the events are named in the copy
        `chunk`, as the owner may still write to its own."""
        in_log = not isinstance(chunk, list)
        where = None if in_log else {id(event): i for i, event in enumerate(chunk)}
        known = len(strings)
        own = self.strings
        for event, ref in list(self.pending_names):
            i = event - start if in_log else where.get(id(event))
            task = ref()
            if i is None or not 0 <= i < len(chunk) or task is None:
                continue
            try:
                name = task.get_name()
                sid = own.get(name) if name else 0
                if sid is None or sid > known:
                    strings.append(name)
                    sid = len(strings)
                if in_log:
                    chunk.patch_u32(i, FIELD7_C, sid)
                else:
                    named = bytearray(event)
                    set_field7(named, FIELD7_C, sid)
                    chunk[i] = named
            except Exception:
                pass

    def alive(self):
        thread = self.thread()
        return thread is not None and thread.is_alive()

    def tags(self):
        tags = ["thread"]
        if self.event_loop:
            tags.append("event-loop")
        if self.worker or self.thread_name.startswith(("asyncio_", "ThreadPoolExecutor")):
            tags.append("worker")
        return tags


class Writer:
    """One trace output: a file, its process info, and the writer thread feeding it."""

    def __init__(self, path, block_events=16384, flush_interval_s=1.0, compress=True,
                 properties=None, listen=None, flight_recorder_bytes=64 << 20):
        """`path`: the trace file, or None for none. `listen`: an address parsed by
        _live.parse_address to serve the trace live on, or None."""
        self.path = os.fspath(path) if path is not None else None
        self.block_events = max(1, int(block_events))
        self.flush_interval_ticks = int(flush_interval_s * TICK_FREQUENCY)
        # While a viewer is attached, blocks are handed over sooner so it sees events quickly.
        self.live_flush_ticks = min(self.flush_interval_ticks, LIVE_FLUSH_TICKS)
        self.current_flush_ticks = self.flush_interval_ticks
        self.live = None
        self.compressor = _zstd.ZstdCompressor(level=3) if (compress and _zstd) else None
        self.process_id = uuid.uuid4().bytes
        self.errors = 0
        self.last_error = None
        self.blocks_written = 0
        self.events_written = 0
        self._buffers = []
        self._buffers_lock = threading.Lock()
        self._tls = threading.local()
        self._queue = queue.SimpleQueue()
        self._closed = False
        self._pending = []  # records written to the file once per batch (see _run)
        self._closing = threading.Event()  # ends the writer thread's pause between batches
        self._file = None
        if self.path is not None:
            self._file = open(self.path, "wb")
            self._file.write(file_header())
        # The wall clock and the tick clock read at (almost) the same moment.
        start_ticks = now_ticks()
        start_time_ns = time.time_ns()
        props = {"language": "python", "agent": "weft_asyncio",
                 "python_version": sys.version.split()[0], "cbor": CBOR_BACKEND,
                 "codec": "zstd" if self.compressor else "none"}
        if properties:
            props.update({str(k): str(v) for k, v in properties.items()})
        exe = sys.argv[0] if sys.argv and sys.argv[0] else sys.executable
        if listen is not None:
            from ._live import LiveServer
            self.live = LiveServer(listen, flight_recorder_bytes=flight_recorder_bytes,
                                   exe=os.path.abspath(exe) if exe else "",
                                   start_time_ns=start_time_ns, on_attach=self._live_attached)
            try:
                self.live.start()
            except BaseException:
                self.live = None
                if self._file is not None:
                    self._file.close()
                raise
        self._write(KIND_PROCESS, {
            "process_id": self.process_id,
            "exe": exe,
            "pid": os.getpid(),
            "hostname": socket.gethostname(),
            "start_time_ns": start_time_ns,
            "start_ticks": start_ticks,
            "tick_frequency": TICK_FREQUENCY,
            "properties": props,
        })
        self._write_pending()
        self._thread = threading.Thread(target=self._run, name="weft-writer", daemon=True)
        self._thread.start()

    # -- recording side -------------------------------------------------------------------

    def buffer(self):
        """This thread's buffer, created on first use."""
        try:
            return self._tls.buffer
        except AttributeError:
            buf = ThreadBuffer(self)
            self._tls.buffer = buf
            with self._buffers_lock:
                self._buffers.append(buf)
            return buf

    def submit_block(self, block):
        if not self._closed:
            self._queue.put(block)

    def flush_dead_threads(self):
        """Hand over the pending events of threads that have ended: nobody else will."""
        with self._buffers_lock:
            dead = [b for b in self._buffers if not b.alive()]
            for b in dead:
                self._buffers.remove(b)
        for b in dead:
            b.flush()

    def close(self):
        """Flush every buffer, write what is queued and close the file."""
        if self._closed:
            return
        with self._buffers_lock:
            buffers = list(self._buffers)
        for b in buffers:
            try:
                b.flush()
            except Exception as exc:  # never raise into the program
                self._failed(exc)
        self._queue.put(None)
        self._closing.set()
        self._thread.join(timeout=30)
        self._closed = True
        if self.live is not None:
            try:
                self.live.stop()  # after the last block was published: the viewer gets it
            except Exception as exc:
                self._failed(exc)
        try:
            if self._file is not None:
                self._file.close()
        except Exception as exc:
            self._failed(exc)

    def _live_attached(self, attached):
        """Called by the live server's thread: shorten (or restore) the flush interval."""
        ticks = self.live_flush_ticks if attached else self.flush_interval_ticks
        self.current_flush_ticks = ticks
        with self._buffers_lock:
            for b in self._buffers:
                b.flush_after = ticks

    # -- writer thread --------------------------------------------------------------------

    def _failed(self, exc):
        self.errors += 1
        self.last_error = "%s: %s" % (type(exc).__name__, exc)

    def _age_check_ticks(self):
        """How often the writer thread looks for events waiting too long: half the interval."""
        return max(MIN_AGE_CHECK_TICKS, self.current_flush_ticks // 2)

    def _flush_old(self, now):
        """Queue the events that have waited longer than the flush interval in any buffer (behind
        the blocks their threads queued before: see ThreadBuffer.flush)."""
        with self._buffers_lock:
            buffers = list(self._buffers)
        for b in buffers:
            try:
                b.take_old(now, self.submit_block)
            except Exception as exc:
                self._failed(exc)

    def _run(self):
        """Write blocks in batches. Everything this thread does with the GIL held makes the
        program's threads wait, and so does each time it takes the GIL back after a call that
        let it go (compression, file I/O): a loop thread then gives the GIL away at each of its
        polls until this one has it, which on a busy server costs more than the writing. So it
        wakes at most every BATCH_PERIOD_S, writes all that was queued, lets the GIL go once per
        block (to compress it) and once per batch (to write and flush the file)."""
        get = self._queue.get
        get_nowait = self._queue.get_nowait
        next_check = now_ticks() + self._age_check_ticks()
        done = False
        while not done:
            wait = next_check - now_ticks()
            try:
                batch = [get(timeout=max(wait, 0) / TICK_FREQUENCY)]
            except queue.Empty:
                batch = []
            now = now_ticks()
            if now >= next_check:
                self._flush_old(now)
                next_check = now + self._age_check_ticks()
            while True:
                try:
                    batch.append(get_nowait())
                except queue.Empty:
                    break
            for block in batch:
                if block is None:
                    done = True
                    break
                try:
                    self._write_block(block)
                except Exception as exc:
                    self._failed(exc)
            self._write_pending()
            if not done and batch:
                self._closing.wait(BATCH_PERIOD_S)

    def _write_pending(self):
        pending, self._pending = self._pending, []
        try:
            if self._file is not None and pending:
                self._file.write(b"".join(pending))
                self._file.flush()
        except Exception as exc:
            self._failed(exc)

    def _write(self, kind, body):
        """Frame a record and send it to the file and the live server."""
        record = frame(kind, _dumps(body))
        if self._file is not None:
            self._pending.append(record)
        live = self.live
        if live is not None:
            if kind == KIND_BLOCK:
                live.publish(record)
            elif kind == KIND_STREAM:
                live.add_stream(record)
            else:
                live.set_process_info(record)

    def _write_block(self, block):
        buf, begin, end, offset, strings, locations, events = block
        if not buf.info_sent:
            buf.info_sent = True
            self._write(KIND_STREAM, {
                "stream_id": buf.stream_id,
                "process_id": self.process_id,
                "thread_name": buf.thread_name,
                "thread_id": buf.thread_id,
                "tags": buf.tags(),
                "properties": {"python_thread_ident": str(buf.ident)},
            })
        payload = _cbor.encode_payload(strings, locations, events, _dumps)
        size = len(payload)
        if self.compressor is not None:
            data, codec = self.compressor.compress(payload), 1
        else:
            data, codec = payload, 0
        self._write(KIND_BLOCK, {
            "block_id": uuid.uuid4().bytes,
            "stream_id": buf.stream_id,
            "process_id": self.process_id,
            "begin_ticks": begin,
            "end_ticks": end,
            "object_offset": offset,
            "nb_objects": len(events),
            "codec": codec,
            "payload_size": size,
            "payload": data,
        })
        self.blocks_written += 1
        self.events_written += len(events)
