"""A small live-protocol viewer for the tests (docs/FORMAT.md, "Live protocol"): finds a process
by its discovery file, shakes hands and reads framed records, checking every frame's CRC."""

import json
import os
import socket
import struct
import time
import zlib

from weft_reader import FormatError, _decode_payload, cbor_loads

MAGIC = b"WEFTLIVE"
MAX_BODY = 64 * 1024 * 1024


def discovery_path(runtime, pid):
    return os.path.join(runtime, "weft", "%d.json" % pid)


def wait_discovery(runtime, pid, proc=None, timeout=30.0):
    """The discovery file of `pid` under XDG_RUNTIME_DIR=`runtime`, once it is there."""
    path = discovery_path(runtime, pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path) as f:
                return path, json.load(f)
        if proc is not None and proc.poll() is not None:
            raise AssertionError("the program exited (%r) before listening:\n%s"
                                 % (proc.returncode, proc.stderr.read()))
        time.sleep(0.02)
    raise AssertionError("no discovery file at " + path)


def connect(address, timeout=10.0):
    if address.startswith("unix:"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target = address[5:]
    elif address.startswith("tcp:"):
        host, _, port = address[4:].rpartition(":")
        sock = socket.socket(socket.AF_INET6 if host == "::1" else socket.AF_INET,
                             socket.SOCK_STREAM)
        target = (host, int(port))
    else:
        raise ValueError(address)
    sock.settimeout(timeout)
    sock.connect(target)
    return sock


def recv_exact(sock, n):
    data = bytearray()
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None if not data else bytes(data)
        data += chunk
    return bytes(data)


def read_answer(sock):
    """(major, minor, status, message) of the process's answer; checks its shape."""
    head = recv_exact(sock, 16)
    if head is None or len(head) < 16:
        raise FormatError("handshake answer cut short: %r" % (head,))
    if head[:8] != MAGIC:
        raise FormatError("answer does not start with WEFTLIVE: %r" % head[:8])
    major, minor, status, reserved, n = struct.unpack_from("<HHBBH", head, 8)
    if reserved != 0 or n > 512 or status > 4:
        raise FormatError("malformed answer %r" % head)
    message = recv_exact(sock, n) if n else b""
    if message is None or len(message) != n:
        raise FormatError("answer message cut short")
    return major, minor, status, message.decode("utf-8")


def hello(token, major=1, minor=0):
    raw = token.encode("ascii")
    return MAGIC + struct.pack("<HHH", major, minor, len(raw)) + raw


def attach(address, token, timeout=10.0):
    """A socket attached to the process (status 0), or AssertionError with its answer."""
    sock = connect(address, timeout)
    sock.sendall(hello(token))
    answer = read_answer(sock)
    if answer[2] != 0:
        sock.close()
        raise AssertionError("refused: %r" % (answer,))
    return sock, answer


def read_record(sock):
    """(kind, decoded body) of the next record, or None at a clean end of stream."""
    head = recv_exact(sock, 16)
    if head is None:
        return None
    if len(head) < 16:
        raise FormatError("stream ends inside a frame header")
    sync, kind, flags, reserved, length, crc = struct.unpack("<4sBBHII", head)
    if sync != b"WREC" or flags or reserved:
        raise FormatError("bad frame header %r" % head)
    if length > MAX_BODY:
        raise FormatError("oversized record: %d bytes" % length)
    body = recv_exact(sock, length) if length else b""
    if body is None or len(body) != length:
        raise FormatError("stream ends inside a record")
    if zlib.crc32(head[4:12] + body) & 0xFFFFFFFF != crc:
        raise FormatError("bad CRC")
    return kind, cbor_loads(body)


class Session:
    """Everything read from one attachment, with the checks a viewer would make."""

    def __init__(self):
        self.process = None
        self.streams = {}
        self.blocks = []          # block bodies, in arrival order
        self.kinds = []           # record kinds, in arrival order
        self.gaps = 0             # events lost, from object_offset jumps
        self._offsets = {}

    def add(self, kind, body):
        self.kinds.append(kind)
        if kind == 1:
            assert self.process is None, "second process info"
            self.process = body
        elif kind == 2:
            assert self.process is not None, "stream info before process info"
            assert body["process_id"] == self.process["process_id"]
            self.streams[body["stream_id"]] = body
        elif kind == 3:
            sid = body["stream_id"]
            assert sid in self.streams, "block before its stream info"
            expected = self._offsets.get(sid)
            if expected is not None:
                assert body["object_offset"] >= expected, "object_offset went back"
                self.gaps += body["object_offset"] - expected
            payload = _decode_payload(body)
            assert len(payload["events"]) == body["nb_objects"], "nb_objects mismatch"
            self._offsets[sid] = body["object_offset"] + body["nb_objects"]
            self.blocks.append(body)

    def events(self):
        return sum(b["nb_objects"] for b in self.blocks)

    def read_until(self, sock, stop=lambda s: False):
        """Read records until the process closes the stream or `stop(self)` is true."""
        while not stop(self):
            record = read_record(sock)
            if record is None:
                return False
            self.add(*record)
        return True
