"""A minimal CBOR (RFC 8949) encoder and decoder: only what the Weft format needs.

Used when the `cbor2` package is not importable. Definite lengths only; the encoder handles
int, bool, None, bytes, str, list/tuple and dict, which is everything a Weft record holds. The
decoder exists for the agent's own tests and tools and bounds every length by the bytes left.
"""

import struct

_pack_be16 = struct.Struct(">H").pack
_pack_be32 = struct.Struct(">I").pack
_pack_be64 = struct.Struct(">Q").pack


def _head(major, value, out):
    """Append the initial byte(s) of an item of `major` type carrying `value` (>= 0)."""
    mt = major << 5
    if value < 24:
        out.append(mt | value)
    elif value < 0x100:
        out.append(mt | 24)
        out.append(value)
    elif value < 0x10000:
        out.append(mt | 25)
        out += _pack_be16(value)
    elif value < 0x100000000:
        out.append(mt | 26)
        out += _pack_be32(value)
    elif value < 0x10000000000000000:
        out.append(mt | 27)
        out += _pack_be64(value)
    else:
        raise ValueError("integer too large for CBOR: %r" % (value,))


def _encode_into(obj, out):
    t = type(obj)
    if t is int:
        if obj >= 0:
            _head(0, obj, out)
        else:
            _head(1, -1 - obj, out)
    elif t is str:
        data = obj.encode("utf-8", "surrogatepass")
        _head(3, len(data), out)
        out += data
    elif t is list or t is tuple:
        _head(4, len(obj), out)
        for item in obj:
            if type(item) is int and 0 <= item < 24:
                out.append(item)  # the common case of small event fields
            else:
                _encode_into(item, out)
    elif t is bytes or t is bytearray or t is memoryview:
        data = bytes(obj)
        _head(2, len(data), out)
        out += data
    elif t is dict:
        _head(5, len(obj), out)
        for key, value in obj.items():
            _encode_into(key, out)
            _encode_into(value, out)
    elif obj is True:
        out.append(0xF5)
    elif obj is False:
        out.append(0xF4)
    elif obj is None:
        out.append(0xF6)
    elif isinstance(obj, int):
        _encode_into(int(obj), out)
    elif isinstance(obj, str):
        _encode_into(str(obj), out)
    else:
        raise TypeError("cannot CBOR-encode %s" % (t.__name__,))


def dumps(obj):
    """Encode `obj` as CBOR bytes."""
    out = bytearray()
    _encode_into(obj, out)
    return bytes(out)


class DecodeError(ValueError):
    pass


class _Decoder:
    __slots__ = ("data", "pos", "depth_limit")

    def __init__(self, data, depth_limit):
        self.data = data
        self.pos = 0
        self.depth_limit = depth_limit

    def _take(self, n):
        if n > len(self.data) - self.pos:
            raise DecodeError("truncated CBOR item at offset %d" % self.pos)
        start = self.pos
        self.pos += n
        return self.data[start:self.pos]

    def _argument(self, info):
        if info < 24:
            return info
        if info == 24:
            return self._take(1)[0]
        if info == 25:
            return int.from_bytes(self._take(2), "big")
        if info == 26:
            return int.from_bytes(self._take(4), "big")
        if info == 27:
            return int.from_bytes(self._take(8), "big")
        raise DecodeError("indefinite or reserved length at offset %d" % (self.pos - 1))

    def item(self, depth=0):
        if depth > self.depth_limit:
            raise DecodeError("CBOR nesting deeper than %d" % self.depth_limit)
        initial = self._take(1)[0]
        major, info = initial >> 5, initial & 31
        if major == 7:
            simple = {20: False, 21: True, 22: None}
            if info in simple:
                return simple[info]
            if info == 25:
                return struct.unpack(">e", self._take(2))[0]
            if info == 26:
                return struct.unpack(">f", self._take(4))[0]
            if info == 27:
                return struct.unpack(">d", self._take(8))[0]
            raise DecodeError("unsupported simple value %d" % info)
        value = self._argument(info)
        if major == 0:
            return value
        if major == 1:
            return -1 - value
        if major == 2:
            return bytes(self._take(value))
        if major == 3:
            return bytes(self._take(value)).decode("utf-8")
        remaining = len(self.data) - self.pos
        if major == 4:
            if value > remaining:
                raise DecodeError("array count %d exceeds remaining bytes" % value)
            return [self.item(depth + 1) for _ in range(value)]
        if major == 5:
            if value * 2 > remaining:
                raise DecodeError("map count %d exceeds remaining bytes" % value)
            result = {}
            for _ in range(value):
                key = self.item(depth + 1)
                result[key] = self.item(depth + 1)
            return result
        if major == 6:
            return self.item(depth + 1)  # tags are not used by Weft; return the tagged item
        raise DecodeError("unknown major type %d" % major)


def loads(data, depth_limit=16):
    """Decode exactly one CBOR item from `data`; trailing bytes are an error."""
    decoder = _Decoder(memoryview(bytes(data)), depth_limit)
    result = decoder.item()
    if decoder.pos != len(decoder.data):
        raise DecodeError("%d trailing bytes after CBOR item" % (len(decoder.data) - decoder.pos))
    return result


# -- events, the bulk of every block ----------------------------------------------------------
# Events are encoded when they are recorded, each to its own bytes, so that handing a block over
# is one join: a general encoder (even cbor2's C one, ~500 ns per event) would cost more than
# recording. The hot event shapes are packed by one struct call each, with fixed-width integers:
# dt as a uint64 (head 0x1b), ids as uint32 (head 0x1a). CBOR allows any width for an integer,
# so readers decode these as usual; zstd removes the padding. A value that does not fit (an id
# past 2**32, a negative dt) makes the packer raise struct.error, and the caller falls back to
# encode_event().

U64, U32 = 0x1B, 0x1A
# [kind, dt, a]                  e.g. task_run_begin: pack3(head3(kind), U64, dt, U32, a)
pack3 = struct.Struct(">HBQBI").pack
# [kind, dt, a, b, c]            e.g. await_begin, task_completed
pack5 = struct.Struct(">HBQBIBIBI").pack
# [kind, dt, a, b, c, d, e]      task_created, packed into a bytearray so that a field can be
# filled in later: set_field7(event, FIELD7_C, value) rewrites c (the task's name).
_EVENT7 = struct.Struct(">HBQBIBIBIBIBI")
EVENT7_SIZE = _EVENT7.size
pack7_into = _EVENT7.pack_into
FIELD7_C = 2 + 9 + 5 + 5 + 1
set_field7 = struct.Struct(">I").pack_into


def head(kind, fields):
    """The first two bytes of an event of `fields` items (kind and dt included) as one uint16:
    the array head and the kind, for the packers above."""
    return ((0x80 | fields) << 8) | kind


def encode_event(event):
    """The CBOR bytes of one event (a tuple or list), whatever its values."""
    return dumps(event)


def array_head(count):
    """The head of a CBOR array of `count` items."""
    out = bytearray()
    _head(4, count, out)
    return bytes(out)


def _item_head(data, i):
    """(major type, argument, index after the head) of the item starting at data[i]."""
    b = data[i]
    info = b & 31
    if info < 24:
        return b >> 5, info, i + 1
    width = 1 << (info - 24)  # 24..27: 1, 2, 4 or 8 bytes follow
    return b >> 5, int.from_bytes(data[i + 1:i + 1 + width], "big"), i + 1 + width


def event_dt(event):
    """The `dt` of one encoded event `[kind, dt, ...]` (an int: negative ones are legal)."""
    _, _, i = _item_head(event, 0)  # the array
    _, _, i = _item_head(event, i)  # the kind
    major, value, _ = _item_head(event, i)
    return value if major == 0 else -1 - value


def encode_payload(strings, locations, events, dumps_other=dumps):
    """A block payload map (docs/FORMAT.md, "Block payload") from the tables and the already
    encoded events (a list of them, or an EventLog holding them back to back); `dumps_other`
    encodes the tables."""
    joined = b"".join(events) if isinstance(events, list) else events.tobytes()
    return b"".join((b"\xa3\x67strings", dumps_other(strings), b"\x69locations",
                     dumps_other(locations), b"\x66events", array_head(len(events)), joined))
