"""A small, strict reader of .weft files for the agent's tests (independent of the writer code).

It checks the file header, every frame (sync, length bound, CRC-32), record order, block fields
and event shapes, then gives back records and decoded events with absolute ticks.
"""

import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from weft_asyncio import _cbor  # noqa: E402  (the fallback decoder, used without cbor2)

try:
    import cbor2

    def cbor_loads(data):
        return cbor2.loads(data)
except ImportError:
    cbor_loads = _cbor.loads

try:
    import zstandard
except ImportError:
    zstandard = None

MAGIC = b"\x89WEFT\r\n\x1a"
EVENT_ARITY = {1: 2, 2: 1, 3: 4, 4: 1, 5: 5, 6: 1, 7: 1, 8: 3, 9: 3, 10: 1, 11: 3, 12: 1, 13: 1}
EVENT_NAMES = {1: "thread_span_begin", 2: "thread_span_end", 3: "async_span_begin",
               4: "async_span_end", 5: "task_created", 6: "task_run_begin", 7: "task_run_end",
               8: "task_completed", 9: "await_begin", 10: "await_end", 11: "blocking",
               12: "loop_lag", 13: "events_dropped"}


class FormatError(AssertionError):
    pass


def _check(cond, message):
    if not cond:
        raise FormatError(message)


class Event:
    __slots__ = ("kind", "name", "ticks", "fields", "stream", "block")

    def __init__(self, kind, ticks, fields, stream, block):
        self.kind = kind
        self.name = EVENT_NAMES.get(kind, "unknown")
        self.ticks = ticks
        self.fields = fields
        self.stream = stream
        self.block = block

    def __repr__(self):
        return "Event(%s, %d, %r)" % (self.name, self.ticks, self.fields)


class Trace:
    def __init__(self):
        self.header = None
        self.process = None
        self.streams = {}      # stream_id -> stream info
        self.blocks = []       # (block body, payload)
        self.events = []       # all events, with strings and locations resolved


def _decode_payload(block):
    codec = block["codec"]
    raw = block["payload"]
    if codec == 0:
        payload = raw
    elif codec == 1:
        _check(zstandard is not None, "zstd payload but zstandard is not importable")
        payload = zstandard.ZstdDecompressor().decompress(raw, max_output_size=block["payload_size"])
    else:
        raise FormatError("unknown codec %r" % codec)
    _check(len(payload) == block["payload_size"], "payload_size mismatch")
    return cbor_loads(payload)


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    trace = Trace()
    _check(data[:8] == MAGIC, "bad magic")
    major, minor, reserved = struct.unpack_from("<HHI", data, 8)
    _check((major, minor, reserved) == (1, 0, 0), "bad version %r" % ((major, minor, reserved),))
    trace.header = (major, minor)
    pos = 16
    offsets = {}
    while pos < len(data):
        _check(len(data) - pos >= 16, "truncated frame header at %d" % pos)
        sync, kind, flags, res, length, crc = struct.unpack_from("<4sBBHII", data, pos)
        _check(sync == b"WREC", "bad sync at %d" % pos)
        _check(flags == 0 and res == 0, "reserved frame bits set at %d" % pos)
        _check(length <= 64 * 1024 * 1024, "oversized record at %d" % pos)
        body = data[pos + 16:pos + 16 + length]
        _check(len(body) == length, "truncated record at %d" % pos)
        _check(zlib.crc32(data[pos + 4:pos + 12] + body) & 0xFFFFFFFF == crc, "bad CRC at %d" % pos)
        record = cbor_loads(body)
        _check(isinstance(record, dict), "record body is not a map")
        if kind == 1:
            _check(trace.process is None, "second process info")
            _check(len(record["process_id"]) == 16, "process_id is not 16 bytes")
            _check(record["tick_frequency"] > 0, "tick_frequency")
            trace.process = record
        elif kind == 2:
            _check(trace.process is not None, "stream before process")
            _check(record["process_id"] == trace.process["process_id"], "stream of other process")
            _check(len(record["stream_id"]) == 16, "stream_id")
            _check(record["stream_id"] not in trace.streams, "duplicate stream info")
            trace.streams[record["stream_id"]] = record
            offsets[record["stream_id"]] = 0
        elif kind == 3:
            sid = record["stream_id"]
            _check(sid in trace.streams, "block before its stream info")
            _check(record["process_id"] == trace.process["process_id"], "block of other process")
            _check(len(record["block_id"]) == 16, "block_id")
            _check(record["object_offset"] == offsets[sid], "object_offset gap")
            payload = _decode_payload(record)
            events = payload["events"]
            _check(record["nb_objects"] == len(events), "nb_objects mismatch")
            offsets[sid] += len(events)
            _check(record["begin_ticks"] <= record["end_ticks"], "block ticks reversed")
            trace.blocks.append((record, payload))
            _resolve(trace, record, payload)
        pos += 16 + length
    _check(trace.process is not None, "no process info")
    return trace


def _resolve(trace, block, payload):
    strings = payload["strings"]
    locations = payload["locations"]
    _check(all(isinstance(s, str) for s in strings), "non-text string")

    def string(sid):
        _check(isinstance(sid, int) and 0 <= sid <= len(strings), "bad string id %r" % sid)
        return strings[sid - 1] if sid else None

    resolved_locations = []
    for loc in locations:
        _check(isinstance(loc, list) and len(loc) == 4, "bad location %r" % (loc,))
        resolved_locations.append((string(loc[0]), string(loc[1]), string(loc[2]), loc[3]))

    def location(lid):
        _check(isinstance(lid, int) and 0 <= lid <= len(locations), "bad location id %r" % lid)
        return resolved_locations[lid - 1] if lid else None

    ticks = block["begin_ticks"]
    for raw in payload["events"]:
        _check(isinstance(raw, list) and len(raw) >= 2, "bad event %r" % (raw,))
        kind, dt = raw[0], raw[1]
        ticks += dt
        _check(ticks <= block["end_ticks"], "event after the block's end_ticks")
        fields = list(raw[2:]) + [0] * max(0, EVENT_ARITY.get(kind, 0) - len(raw) + 2)
        if kind in (1,):
            fields = [location(fields[0]), string(fields[1])]
        elif kind == 2:
            fields = [location(fields[0])]
        elif kind == 3:
            fields = fields[:2] + [location(fields[2]), string(fields[3])]
        elif kind == 5:
            fields = fields[:2] + [string(fields[2]), string(fields[3]), location(fields[4])]
        elif kind == 8:
            fields = fields[:2] + [string(fields[2])]
        elif kind == 9:
            fields = [fields[0], string(fields[1]), location(fields[2])]
        elif kind == 11:
            _check(isinstance(fields[2], list), "blocking frames is not an array")
            fields = fields[:2] + [[location(f) for f in fields[2]]]
        trace.events.append(Event(kind, ticks, fields, block["stream_id"], block))


if __name__ == "__main__":
    t = read(sys.argv[1])
    print(t.process)
    for s in t.streams.values():
        print(s)
    for e in t.events:
        print(e)
