"""Live serving (docs/FORMAT.md, "Live protocol, version 1.0"): addresses, the discovery file and
the server that sends a running process's records to one attached viewer.

The server runs on its own daemon thread around a selector; every socket it owns is non-blocking,
so a peer that stalls or sends garbage costs it a file descriptor until its deadline, never a wait.
The writer thread hands it framed records (publish() and friends take a short lock and write one
byte to a wake-up pipe); application threads never touch it. While nobody is attached, blocks are
kept in a flight recorder bounded in bytes; a viewer that reads slower than blocks come loses the
oldest ones, which shows as a jump in the stream's object_offset.
"""

import collections
import hmac
import ipaddress
import json
import os
import secrets
import selectors
import socket
import struct
import threading
import time

MAGIC = b"WEFTLIVE"
PROTOCOL_MAJOR = 1
PROTOCOL_MINOR = 0
MAX_TOKEN = 64
MAX_MESSAGE = 512
HELLO_FIXED = 14
ANSWER_FIXED = 16
HANDSHAKE_TIMEOUT_S = 5.0

ACCEPTED, UNSUPPORTED_VERSION, WRONG_TOKEN, BUSY, NOT_ALLOWED = 0, 1, 2, 3, 4

_MAX_PENDING_PEERS = 16      # peers in handshake or being refused at once; more are refused at once
_REFUSAL_LINGER_S = 1.0      # how long a refused peer may take to read its answer
_STOP_DRAIN_S = 3.0          # at stop, how long an attached viewer may take to read what is left
_SUN_PATH_MAX = 107


class AddressError(ValueError):
    pass


def encode_hello(token, major=PROTOCOL_MAJOR, minor=PROTOCOL_MINOR):
    raw = token.encode("ascii", "replace")[:MAX_TOKEN] if isinstance(token, str) else token[:MAX_TOKEN]
    return MAGIC + struct.pack("<HHH", major, minor, len(raw)) + raw


def encode_answer(status, message, major=PROTOCOL_MAJOR, minor=PROTOCOL_MINOR):
    raw = message.encode("utf-8")[:MAX_MESSAGE]
    return MAGIC + struct.pack("<HHBBH", major, minor, status, 0, len(raw)) + raw


def parse_hello(data):
    """(hello, consumed, error) from the start of `data`: hello is (major, minor, token bytes) when
    complete, None when more bytes are needed or on error (then error is set). The magic is checked
    on whatever prefix has arrived, so garbage is refused without waiting for more of it."""
    prefix = bytes(data[:len(MAGIC)])
    if prefix != MAGIC[:len(prefix)]:
        return None, 0, "not a Weft viewer: the handshake does not start with WEFTLIVE"
    if len(data) < HELLO_FIXED:
        return None, 0, None
    major, minor, n = struct.unpack_from("<HHH", data, 8)
    if n > MAX_TOKEN:
        return None, 0, "handshake token of %d bytes exceeds the limit of %d" % (n, MAX_TOKEN)
    if len(data) < HELLO_FIXED + n:
        return None, 0, None
    return (major, minor, bytes(data[HELLO_FIXED:HELLO_FIXED + n])), HELLO_FIXED + n, None


# -- addresses and the runtime folder ------------------------------------------------------------

def runtime_dir():
    """$XDG_RUNTIME_DIR/weft, else /tmp/weft-<uid> (the folder the viewer lists)."""
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg:
        return os.path.join(xdg, "weft")
    return "/tmp/weft-%d" % os.getuid()


def create_runtime_dir():
    """Make the runtime folder with mode 0700; refuse one owned by someone else or open to others."""
    path = runtime_dir()
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    st = os.lstat(path)
    import stat as _stat
    if not _stat.S_ISDIR(st.st_mode):
        raise OSError("%s is not a folder" % path)
    if st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise OSError("%s belongs to another user or is open to others; refusing to use it" % path)
    return path


def default_socket_path(pid=None):
    return os.path.join(runtime_dir(), "%d.sock" % (os.getpid() if pid is None else pid))


def _is_loopback(host):
    if host in ("localhost", "::1"):
        return True
    try:
        addr = ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return addr.is_loopback


def parse_address(text, pid=None):
    """("unix", path) or ("tcp", host, port) from "unix", "unix:PATH" or "tcp:HOST:PORT" (HOST a
    loopback address). Raises AddressError with a message for the user."""
    text = (text or "").strip()
    if text in ("unix", "unix:"):
        return ("unix", default_socket_path(pid))
    if text.startswith("unix:"):
        path = text[5:]
        if len(os.fsencode(path)) > _SUN_PATH_MAX:
            raise AddressError("socket path is too long: " + path)
        return ("unix", path)
    if text.startswith("tcp:"):
        rest = text[4:]
        host, sep, port = rest.rpartition(":")
        if not sep:
            raise AddressError("expected tcp:HOST:PORT, got '%s'" % text)
        if len(host) > 2 and host[0] == "[" and host[-1] == "]":
            host = host[1:-1]
        if not port.isdigit() or int(port) > 65535:
            raise AddressError("bad TCP port '%s'" % port)
        if not _is_loopback(host):
            raise AddressError("only loopback addresses are served (127.0.0.1, ::1, localhost), "
                               "not '%s'" % host)
        return ("tcp", host, int(port))
    raise AddressError("unknown address '%s': expected unix, unix:PATH or tcp:HOST:PORT" % text)


def address_text(address):
    if address[0] == "unix":
        return "unix:" + address[1]
    return "tcp:%s:%d" % (address[1], address[2])


def make_token():
    return secrets.token_hex(16)


def write_discovery(info):
    """Write <runtime>/<pid>.json with mode 0600 through a temporary name; returns its path."""
    folder = create_runtime_dir()
    path = os.path.join(folder, "%d.json" % info["pid"])
    temp = path + ".tmp"
    data = json.dumps(info).encode("utf-8")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
    finally:
        os.close(fd)
    try:
        os.rename(temp, path)
    except OSError:
        _unlink(temp)
        raise
    return path


def _unlink(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def listen_on(address):
    """A listening, non-blocking socket and the address it is bound to (port 0 resolved)."""
    if address[0] == "unix":
        path = address[1]
        if path.startswith(runtime_dir()):
            create_runtime_dir()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            _unlink(path)  # a stale socket of a crashed process with our pid
            old = os.umask(0o177)  # no permission for others from the start
            try:
                sock.bind(path)
            finally:
                os.umask(old)
            os.chmod(path, 0o600)
            sock.listen(4)
        except OSError as exc:
            sock.close()
            raise OSError("cannot listen on %s: %s" % (path, exc.strerror or exc)) from None
        sock.setblocking(False)
        return sock, address
    host, port = address[1], address[2]
    v6 = host == "::1"
    sock = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("::1" if v6 else ("127.0.0.1" if host == "localhost" else host), port))
        sock.listen(4)
    except OSError as exc:
        sock.close()
        raise OSError("cannot listen on %s: %s" % (address_text(address), exc.strerror or exc)) \
            from None
    sock.setblocking(False)
    return sock, ("tcp", host, sock.getsockname()[1])


def peer_is_same_user(sock):
    """On a Unix socket, whether the peer runs as our user (SO_PEERCRED); True for TCP."""
    if sock.family != socket.AF_UNIX:
        return True
    try:
        creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return False
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()


# -- the server ----------------------------------------------------------------------------------

class _Peer:
    """A connection that is not (yet, or no longer) the viewer: in handshake or being refused."""

    __slots__ = ("sock", "inbox", "outbox", "deadline", "refused")

    def __init__(self, sock, deadline):
        self.sock = sock
        self.inbox = bytearray()
        self.outbox = b""
        self.deadline = deadline
        self.refused = False


class LiveServer:
    def __init__(self, address, flight_recorder_bytes=64 << 20, exe="", start_time_ns=0,
                 discovery=True, token=None, on_attach=None):
        self.requested = address
        self.address = None               # where it listens, once started
        self.flight_recorder_bytes = max(1, int(flight_recorder_bytes))
        self.token = token or make_token()
        self.discovery_file = None
        self._exe = exe
        self._start_time_ns = start_time_ns
        self._write_discovery = discovery
        self._on_attach = on_attach       # called with True/False on the server thread
        self._lock = threading.Lock()     # guards the records and stats below
        self._process_info = None
        self._streams = []
        self._recorder = collections.deque()   # (sequence, framed block), oldest first
        self._recorder_bytes = 0
        self._next_sequence = 0
        self.stats = {"blocks_published": 0, "blocks_sent": 0, "blocks_dropped": 0,
                      "bytes_sent": 0, "attachments": 0, "refused": 0, "attached": False,
                      "last_refusal": None}
        self._listener = None
        self._wake_r = self._wake_w = -1
        self._thread = None
        self._stopping = False
        self._selector = None
        self._peers = {}
        self._client = None
        self._client_state = None         # [header_sent, streams_sent, cursor, pending memoryview]

    # -- producer side (the writer thread) --------------------------------------------------------

    def start(self):
        """Listen and write the discovery file; raises OSError (with a message) on failure."""
        self._listener, self.address = listen_on(self.requested)
        try:
            self._wake_r, self._wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
            if self._write_discovery:
                self.discovery_file = write_discovery({
                    "protocol": PROTOCOL_MAJOR, "pid": os.getpid(), "exe": self._exe,
                    "start_time_ns": self._start_time_ns, "address": address_text(self.address),
                    "token": self.token})
        except OSError:
            self._close_listener()
            raise
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ, "listen")
        self._selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        self._thread = threading.Thread(target=self._run, name="weft-live", daemon=True)
        self._thread.start()

    def stop(self):
        """Give an attached viewer what is left (bounded in time), close everything and remove the
        socket and discovery files."""
        if self._thread is None:
            return
        self._stopping = True
        self._wake()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=_STOP_DRAIN_S + 2)
        self._thread = None
        self._close_listener()

    def _close_listener(self):
        if self._listener is not None:
            try:
                self._listener.close()
            except OSError:
                pass
            self._listener = None
            if self.address is not None and self.address[0] == "unix":
                _unlink(self.address[1])
        fds = (self._wake_r, self._wake_w)
        self._wake_r = self._wake_w = -1  # first: a late wake-up must not hit a reused number
        for fd in fds:
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        if self.discovery_file:
            _unlink(self.discovery_file)
            self.discovery_file = None

    def set_process_info(self, framed):
        with self._lock:
            self._process_info = framed
        self._wake()

    def add_stream(self, framed):
        with self._lock:
            self._streams.append(framed)
        self._wake()

    def publish(self, framed):
        with self._lock:
            self._recorder.append((self._next_sequence, framed))
            self._next_sequence += 1
            self._recorder_bytes += len(framed)
            self.stats["blocks_published"] += 1
            recorder = self._recorder
            while self._recorder_bytes > self.flight_recorder_bytes and len(recorder) > 1:
                self._recorder_bytes -= len(recorder.popleft()[1])
        self._wake()

    def _wake(self):
        try:
            os.write(self._wake_w, b"\0")
        except OSError:
            pass  # the pipe is full (a wake-up is pending anyway) or closed

    def snapshot(self):
        with self._lock:
            return dict(self.stats)

    # -- server thread ----------------------------------------------------------------------------

    def _run(self):
        try:
            while not self._stopping:
                timeout = 0.5
                if self._peers:
                    now = time.monotonic()
                    soonest = min(p.deadline for p in self._peers.values())
                    timeout = max(0.0, min(timeout, soonest - now))
                for key, mask in self._selector.select(timeout):
                    what = key.data
                    if what == "listen":
                        self._accept()
                    elif what == "wake":
                        try:
                            while os.read(self._wake_r, 4096):
                                pass
                        except OSError:
                            pass
                    elif what == "client":
                        self._client_event(mask)
                    elif isinstance(what, _Peer):
                        self._peer_event(what, mask)
                self._expire_peers()
                if self._client is not None:
                    self._pump_client()
            self._drain_at_stop()
        except Exception:
            pass  # never take the program down; the listener is closed by stop()
        finally:
            for peer in list(self._peers.values()):
                self._drop_peer(peer)
            self._detach()
            try:
                self._selector.close()
            except Exception:
                pass

    def _accept(self):
        while True:
            try:
                sock, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return  # e.g. out of descriptors: the peer is dropped by the kernel
            sock.setblocking(False)
            peer = _Peer(sock, time.monotonic() + HANDSHAKE_TIMEOUT_S)
            if len(self._peers) >= _MAX_PENDING_PEERS:
                self._count_refusal("too many connections in handshake")
                sock.close()
                continue
            self._peers[sock.fileno()] = peer
            self._selector.register(sock, selectors.EVENT_READ, peer)
            if self._client is not None:
                self._refuse(peer, BUSY, "another viewer is attached to this process")
            elif not peer_is_same_user(sock):
                self._refuse(peer, NOT_ALLOWED, "only the user who owns this process may attach")

    def _peer_event(self, peer, mask):
        if mask & selectors.EVENT_READ:
            try:
                data = peer.sock.recv(256)
            except (BlockingIOError, InterruptedError):
                data = None
            except OSError:
                self._drop_peer(peer)
                return
            if data == b"":
                if peer.refused:
                    self._drop_peer(peer)  # it read the answer and left
                else:
                    self._refuse(peer, NOT_ALLOWED, "handshake incomplete: connection closed")
                    self._drop_peer(peer)
                return
            if data and not peer.refused:
                # Bounded: a hello is at most HELLO_FIXED + MAX_TOKEN bytes.
                peer.inbox += data[:HELLO_FIXED + MAX_TOKEN - len(peer.inbox)]
                self._handshake(peer)
        if peer.refused and peer.outbox and peer.sock.fileno() >= 0:
            self._flush_peer(peer)

    def _handshake(self, peer):
        hello, _consumed, error = parse_hello(peer.inbox)
        if error:
            self._refuse(peer, NOT_ALLOWED, "bad handshake: " + error)
            return
        if hello is None:
            return
        major, minor, token = hello
        if major != PROTOCOL_MAJOR:
            self._refuse(peer, UNSUPPORTED_VERSION,
                         "this process speaks live protocol %d.x, the viewer %d.%d"
                         % (PROTOCOL_MAJOR, major, minor))
            return
        if not hmac.compare_digest(token, self.token.encode("ascii")):
            self._refuse(peer, WRONG_TOKEN, "wrong token: read it from the process's discovery file")
            return
        if self._client is not None:
            self._refuse(peer, BUSY, "another viewer is attached to this process")
            return
        answer = encode_answer(ACCEPTED, "attached to pid %d" % os.getpid())
        try:
            sent = peer.sock.send(answer)
        except OSError:
            sent = -1
        self._selector.unregister(peer.sock)
        del self._peers[peer.sock.fileno()]
        if sent != len(answer):  # a fresh socket takes a few bytes; otherwise the peer is broken
            peer.sock.close()
            return
        self._client = peer.sock
        with self._lock:
            cursor = self._recorder[0][0] if self._recorder else self._next_sequence
            self.stats["attachments"] += 1
            self.stats["attached"] = True
        self._client_state = [False, 0, cursor, None]
        self._selector.register(self._client, selectors.EVENT_READ, "client")
        if self._on_attach is not None:
            self._call_on_attach(True)

    def _call_on_attach(self, attached):
        try:
            self._on_attach(attached)
        except Exception:
            pass

    def _refuse(self, peer, status, message):
        """Answer with `status`, then let the peer read it: it is closed once it has (EOF) or at
        its deadline. Half-closing instead of closing keeps TCP from resetting the connection
        (and losing the answer) when the peer's hello is still unread."""
        if peer.refused:
            return
        peer.refused = True
        peer.outbox = encode_answer(status, message)
        peer.deadline = time.monotonic() + _REFUSAL_LINGER_S
        self._count_refusal(message)
        self._flush_peer(peer)

    def _count_refusal(self, message):
        with self._lock:
            self.stats["refused"] += 1
            self.stats["last_refusal"] = message

    def _flush_peer(self, peer):
        try:
            sent = peer.sock.send(peer.outbox)
            peer.outbox = peer.outbox[sent:]
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            self._drop_peer(peer)
            return
        if not peer.outbox:
            try:
                peer.sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            self._selector.modify(peer.sock, selectors.EVENT_READ, peer)
        else:
            self._selector.modify(peer.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, peer)

    def _drop_peer(self, peer):
        fd = peer.sock.fileno()
        if fd >= 0 and self._peers.get(fd) is peer:
            del self._peers[fd]
            try:
                self._selector.unregister(peer.sock)
            except (KeyError, ValueError):
                pass
        peer.sock.close()

    def _expire_peers(self):
        now = time.monotonic()
        for peer in [p for p in self._peers.values() if p.deadline <= now]:
            if peer.refused:
                self._drop_peer(peer)
            else:
                self._refuse(peer, NOT_ALLOWED, "handshake not received: timed out after %d ms"
                             % int(HANDSHAKE_TIMEOUT_S * 1000))

    # -- the attached viewer --

    def _client_event(self, mask):
        if mask & selectors.EVENT_READ:
            # The viewer sends nothing after its hello: data or end of file both end the session.
            try:
                self._client.recv(256)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                pass
            self._detach()

    def _next_record(self):
        """The next record for the viewer: process info, unsent stream infos, then blocks."""
        state = self._client_state
        with self._lock:
            if not state[0]:
                if self._process_info is None:
                    return None
                state[0] = True
                return self._process_info
            if state[1] < len(self._streams):
                state[1] += 1
                return self._streams[state[1] - 1]
            recorder = self._recorder
            if not recorder or state[2] >= self._next_sequence:
                return None
            first = recorder[0][0]
            if state[2] < first:  # evicted before the viewer got them: a visible gap
                self.stats["blocks_dropped"] += first - state[2]
                state[2] = first
            record = recorder[state[2] - first][1]
            state[2] += 1
            self.stats["blocks_sent"] += 1
            return record

    def _pump_client(self):
        """Send what the socket takes now, without waiting."""
        state = self._client_state
        sent_bytes = 0
        want_write = False
        while True:
            pending = state[3]
            if pending is None:
                record = self._next_record()
                if record is None:
                    break
                pending = state[3] = memoryview(record)
            try:
                n = self._client.send(pending)
            except (BlockingIOError, InterruptedError):
                want_write = True
                break
            except OSError:
                self._detach()
                return
            sent_bytes += n
            state[3] = pending[n:] if n < len(pending) else None
        if sent_bytes:
            with self._lock:
                self.stats["bytes_sent"] += sent_bytes
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if want_write else 0)
        try:
            self._selector.modify(self._client, events, "client")
        except (KeyError, ValueError):
            pass

    def _detach(self):
        if self._client is None:
            return
        try:
            self._selector.unregister(self._client)
        except (KeyError, ValueError):
            pass
        self._client.close()
        self._client = None
        self._client_state = None
        with self._lock:
            self.stats["attached"] = False
        if self._on_attach is not None:
            self._call_on_attach(False)

    def _drain_at_stop(self):
        """Stopping: send an attached viewer what is left, waiting at most _STOP_DRAIN_S."""
        if self._client is None:
            return
        deadline = time.monotonic() + _STOP_DRAIN_S
        while self._client is not None:
            self._pump_client()
            state = self._client_state
            if state is None or (state[3] is None and self._peek_done()):
                break
            left = deadline - time.monotonic()
            if left <= 0:
                break
            for key, _mask in self._selector.select(min(left, 0.1)):
                if key.data == "wake":
                    try:
                        os.read(self._wake_r, 4096)
                    except OSError:
                        pass
        if self._client is not None:
            try:
                self._client.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def _peek_done(self):
        state = self._client_state
        with self._lock:
            return (state[0] or self._process_info is None) and state[1] >= len(self._streams) \
                and state[2] >= self._next_sequence
