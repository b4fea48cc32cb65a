#!/usr/bin/python3
"""Live attach end to end: producers (weft-demo, the Python agent) serving their trace, weft-cli
list / record attaching to them, and the captures read back with weft-cli summary / validate.

Run one group: test_live.py ZeroLossTests (CMake runs each group as its own ctest test).
Environment: WEFT_DEMO, WEFT_CLI (executables), WEFT_PY_AGENT_DIR (agents/python, optional).
Every test uses its own XDG_RUNTIME_DIR, bounds each wait, and kills what it started.
"""
import json
import os
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time
import unittest

DEMO = os.environ.get("WEFT_DEMO", "")
CLI = os.environ.get("WEFT_CLI", "")
PY_AGENT_DIR = os.environ.get("WEFT_PY_AGENT_DIR", "")
PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs")


def report(text):
    # Figures go to stdout, where ctest -V shows them.
    print("  [live] " + text, flush=True)


class LiveCase(unittest.TestCase):
    def setUp(self):
        self.assertTrue(DEMO and CLI, "WEFT_DEMO and WEFT_CLI must name the executables")
        self._tmp = tempfile.TemporaryDirectory(prefix="weft-live-")
        self.tmp = self._tmp.name
        self.runtime = os.path.join(self.tmp, "runtime")
        os.mkdir(self.runtime, 0o700)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("WEFT_")}
        self.env["XDG_RUNTIME_DIR"] = self.runtime
        self.procs = []

    def tearDown(self):
        for proc, _ in self.procs:
            if proc.poll() is None:
                proc.kill()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        self._tmp.cleanup()

    # ---- processes -----------------------------------------------------------------------------

    def start(self, args, name, env=None):
        """Starts a process with stdout+stderr going to a file (never a pipe that could fill up)."""
        log_path = os.path.join(self.tmp, name + ".log")
        log = open(log_path, "wb")
        proc = subprocess.Popen(args, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        log.close()
        self.procs.append((proc, log_path))
        return proc

    def log_of(self, proc):
        for p, path in self.procs:
            if p is proc:
                with open(path, "r", errors="replace") as f:
                    return f.read()
        return ""

    def finish(self, proc, timeout):
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            self.fail("%s did not finish within %s s; its output:\n%s" % (proc.args[:3], timeout,
                                                                           self.log_of(proc)[-3000:]))

    def cli(self, *args, timeout=20):
        return subprocess.run([CLI] + list(args), env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def start_demo(self, *args, env_extra=None):
        env = dict(self.env)
        env.update(env_extra or {})
        return self.start([DEMO] + list(args), "demo-%d" % len(self.procs), env)

    def record(self, pid, output, *extra):
        return self.start([CLI, "record", "--attach", str(pid), "--output", output] + list(extra),
                          "record-%d" % len(self.procs))

    # ---- files ---------------------------------------------------------------------------------

    def weft_dir(self):
        return os.path.join(self.runtime, "weft")

    def discovery_path(self, pid):
        return os.path.join(self.weft_dir(), "%d.json" % pid)

    def wait_discovery(self, proc, timeout=10.0):
        path = self.discovery_path(proc.pid)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.fail("producer exited early (%s):\n%s" % (proc.returncode, self.log_of(proc)[-3000:]))
            if os.path.exists(path):
                try:
                    with open(path) as f:
                        return json.load(f)
                except (OSError, ValueError):
                    pass  # being renamed into place
            time.sleep(0.02)
        self.fail("no discovery file %s after %s s" % (path, timeout))

    def summary(self, trace):
        run = self.cli("summary", "--json", trace, timeout=60)
        self.assertEqual(run.returncode, 0, "weft-cli summary %s failed: %s" % (trace, run.stderr))
        return json.loads(run.stdout)

    def demo_stats(self, proc):
        for line in self.log_of(proc).splitlines():
            if line.startswith("weft-demo-stats: "):
                return json.loads(line[len("weft-demo-stats: "):])
        self.fail("weft-demo printed no stats line:\n" + self.log_of(proc)[-3000:])

    def assert_no_loss(self, summary, what):
        self.assertEqual(summary["events"]["dropped"], 0, "%s: dropped events" % what)
        self.assertEqual(summary["diagnostics"]["dropped_events"], 0, "%s: dropped events" % what)
        self.assertEqual(summary["diagnostics"]["damaged_records"], 0, "%s: damaged records" % what)


    def check_reattach(self, proc, stop):
        self.wait_discovery(proc)
        first = os.path.join(self.tmp, "first.weft")
        second = os.path.join(self.tmp, "second.weft")
        rec = self.record(proc.pid, first, "--duration", "1")
        self.assertEqual(self.finish(rec, 10), 0, self.log_of(rec))
        rec = self.record(proc.pid, second, "--duration", "1")
        self.assertEqual(self.finish(rec, 10), 0, self.log_of(rec))
        stop()
        a = self.summary(first)
        b = self.summary(second)
        self.assert_no_loss(a, "first capture")
        self.assert_no_loss(b, "second capture")
        self.assertGreater(a["events"]["total"], 0)
        self.assertGreater(b["events"]["total"], a["events"]["total"])
        # The second capture starts with the history the first one saw (the flight recorder still
        # holds it) and goes on past its end.
        begin = lambda s: s["trace"]["origin_unix_ns"] + s["trace"]["begin_s"] * 1e9
        end = lambda s: s["trace"]["origin_unix_ns"] + s["trace"]["end_s"] * 1e9
        self.assertAlmostEqual(begin(a), begin(b), delta=1e6)
        self.assertGreater(end(b), end(a) + 0.5e9)
        return a, b


class ZeroLossTests(LiveCase):
    # events/s over 4 threads; sanitizer builds encode several times slower, so they test zero loss
    # at the rate their writer thread can sustain (WEFT_LIVE_TEST_RATE, set by CMake).
    RATE = int(os.environ.get("WEFT_LIVE_TEST_RATE", "1500000"))
    SECONDS = 3

    def test_demo_high_rate_every_event_arrives(self):
        # A deep buffer pool absorbs scheduling hiccups on a busy machine; the flight recorder holds
        # everything recorded before weft-cli attaches.
        demo = self.start_demo("--listen", "unix", "--rate", str(self.RATE), "--threads", "4",
                               "--duration-ms", str(self.SECONDS * 1000),
                               env_extra={"WEFT_BUFFERS": "512", "WEFT_FLIGHT_RECORDER_MB": "256"})
        self.wait_discovery(demo)
        capture = os.path.join(self.tmp, "capture.weft")
        rec = self.record(demo.pid, capture)
        self.assertEqual(self.finish(demo, 15), 0, self.log_of(demo))
        self.assertEqual(self.finish(rec, 10), 0, self.log_of(rec))

        stats = self.demo_stats(demo)
        self.assertGreater(stats["events"], 0)
        self.assertEqual(stats["dropped"], 0, "the client dropped events: %r" % stats)
        self.assertEqual(stats["events"], stats["load_events"], "client counts differ from calls made")
        self.assertEqual(stats["live_blocks_dropped"], 0, "the server dropped blocks: %r" % stats)
        self.assertEqual(stats["live_attachments"], 1)
        self.assertIn("0 lost in transit", self.log_of(rec))

        summary = self.summary(capture)
        self.assert_no_loss(summary, "capture")
        self.assertEqual(summary["events"]["total"], stats["events"])
        by_tid = {t["os_thread_id"]: t["events"] for p in summary["processes"] for t in p["threads"]}
        for stream in stats["streams"]:
            self.assertEqual(by_tid.get(stream["thread_id"]), stream["events"], "stream %r" % stream)
        self.assertEqual(summary["tasks"]["total"], stats["events"] // 8)
        self.assertEqual(self.cli("validate", capture).returncode, 0)
        report("C++ demo: %d events at %.2f M events/s over %d s, all %d arrived live"
               % (stats["events"], stats["events"] / self.SECONDS / 1e6, self.SECONDS,
                  summary["events"]["total"]))


class ListTests(LiveCase):
    def test_list_shows_unix_and_tcp_producers(self):
        unix_demo = self.start_demo("--listen", "unix", "--forever", "--requests", "20")
        tcp_demo = self.start_demo("--listen", "tcp:127.0.0.1:0", "--forever", "--requests", "20")
        unix_info = self.wait_discovery(unix_demo)
        tcp_info = self.wait_discovery(tcp_demo)
        self.assertEqual(unix_info["address"], "unix:" + os.path.join(self.weft_dir(), "%d.sock" % unix_demo.pid))
        self.assertTrue(tcp_info["address"].startswith("tcp:127.0.0.1:"), tcp_info)
        self.assertNotEqual(tcp_info["address"], "tcp:127.0.0.1:0", "the bound port is advertised")

        run = self.cli("list", "--json")
        self.assertEqual(run.returncode, 0, run.stderr)
        listed = {entry["pid"]: entry for entry in json.loads(run.stdout)}
        for proc, info in ((unix_demo, unix_info), (tcp_demo, tcp_info)):
            self.assertIn(proc.pid, listed)
            self.assertEqual(os.path.basename(listed[proc.pid]["exe"]), "weft-demo")
            self.assertEqual(listed[proc.pid]["address"], info["address"])
        text = self.cli("list")
        self.assertIn(str(unix_demo.pid), text.stdout)
        self.assertIn("weft-demo", text.stdout)

        # Attaching over TCP works by pid: the token comes from the discovery file.
        capture = os.path.join(self.tmp, "tcp.weft")
        rec = self.record(tcp_demo.pid, capture, "--duration", "0.5")
        self.assertEqual(self.finish(rec, 10), 0, self.log_of(rec))
        self.assertGreater(self.summary(capture)["events"]["total"], 0)

        for proc in (unix_demo, tcp_demo):
            proc.send_signal(signal.SIGTERM)
        for proc in (unix_demo, tcp_demo):
            self.assertEqual(self.finish(proc, 10), 0, self.log_of(proc))
        run = self.cli("list", "--json")
        self.assertEqual(json.loads(run.stdout), [], "exited producers are still listed")


class ReattachTests(LiveCase):
    def test_demo_detach_and_reattach(self):
        demo = self.start_demo("--listen", "unix", "--rate", "200000", "--threads", "2", "--forever")

        def stop():
            demo.send_signal(signal.SIGINT)
            self.assertEqual(self.finish(demo, 10), 0, self.log_of(demo))

        a, b = self.check_reattach(demo, stop)
        stats = self.demo_stats(demo)
        self.assertEqual(stats["live_attachments"], 2)
        report("C++ demo re-attach: first capture %d events, second %d (history included)"
               % (a["events"]["total"], b["events"]["total"]))


class KilledProducerTests(LiveCase):
    def test_sigkill_mid_stream_keeps_intact_records(self):
        demo = self.start_demo("--listen", "unix", "--rate", "500000", "--threads", "2", "--forever")
        self.wait_discovery(demo)
        capture = os.path.join(self.tmp, "killed.weft")
        rec = self.record(demo.pid, capture)
        time.sleep(1.5)
        demo.kill()
        demo.wait(timeout=5)
        code = self.finish(rec, 10)
        self.assertIn(code, (0, 1), "weft-cli record ended abnormally: " + self.log_of(rec))
        self.assertIn("weft-cli record:", self.log_of(rec))

        validate = self.cli("validate", capture)
        self.assertIn(validate.returncode, (0, 1), validate.stderr)  # 1: flagged (truncated), not crashed
        summary = self.summary(capture)
        self.assertGreater(summary["events"]["total"], 0)
        self.assertGreater(summary["tasks"]["total"], 0)
        # Its socket and discovery file stay behind, but a dead process is not listed.
        self.assertTrue(os.path.exists(self.discovery_path(demo.pid)))
        listed = json.loads(self.cli("list", "--json").stdout)
        self.assertNotIn(demo.pid, [entry["pid"] for entry in listed])
        report("SIGKILL mid-stream: capture of %d events loads (validate exit %d)"
               % (summary["events"]["total"], validate.returncode))


def read_answer(sock):
    """Reads one handshake answer: (status, message), or None if the peer closed first."""
    data = b""
    sock.settimeout(10)
    while True:
        if len(data) >= 16:
            size = struct.unpack_from("<H", data, 14)[0]
            if len(data) >= 16 + size:
                break
        chunk = sock.recv(4096)
        if not chunk:
            return None
        data += chunk
    assert data[:8] == b"WEFTLIVE", data[:16]
    return data[12], data[16:16 + struct.unpack_from("<H", data, 14)[0]].decode("utf-8", "replace")


class BadPeerTests(LiveCase):
    def connect(self, info):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(10)
        sock.connect(info["address"][len("unix:"):])
        return sock

    def send_and_answer(self, info, payload):
        with self.connect(info) as sock:
            try:
                sock.sendall(payload)
            except OSError:
                pass  # the producer may close as soon as it has seen enough
            return read_answer(sock)

    def test_bad_peers_are_refused_and_the_producer_keeps_serving(self):
        demo = self.start_demo("--listen", "unix", "--rate", "100000", "--threads", "2", "--forever")
        info = self.wait_discovery(demo)

        garbage = self.send_and_answer(info, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n" + bytes(range(256)))
        self.assertIsNotNone(garbage)
        self.assertEqual(garbage[0], 4)
        self.assertIn("not a Weft viewer", garbage[1])

        oversized = self.send_and_answer(info, b"WEFTLIVE" + struct.pack("<HHH", 1, 0, 0xFFFF) + b"x" * 65536)
        self.assertIsNotNone(oversized)
        self.assertEqual(oversized[0], 4)
        self.assertIn("exceeds the limit", oversized[1])

        token = info["token"].encode()
        newer = self.send_and_answer(info, b"WEFTLIVE" + struct.pack("<HHH", 9, 0, len(token)) + token)
        self.assertEqual(newer[0], 1, newer)
        self.assertIn("protocol", newer[1])

        wrong = self.cli("record", "--attach", str(demo.pid), "--token", "0" * 32, "--output",
                         os.path.join(self.tmp, "wrong.weft"), "--duration", "1")
        self.assertNotEqual(wrong.returncode, 0)
        self.assertIn("wrong token", wrong.stderr)

        self.assertIsNone(demo.poll(), "the producer died after bad peers")
        capture = os.path.join(self.tmp, "good.weft")
        rec = self.record(demo.pid, capture, "--duration", "1")
        self.assertEqual(self.finish(rec, 10), 0, self.log_of(rec))
        summary = self.summary(capture)
        self.assert_no_loss(summary, "capture after bad peers")
        self.assertGreater(summary["events"]["total"], 0)

        demo.send_signal(signal.SIGTERM)
        self.assertEqual(self.finish(demo, 10), 0, self.log_of(demo))
        stats = self.demo_stats(demo)
        self.assertGreaterEqual(stats["live_refused"], 4)
        self.assertEqual(stats["live_attachments"], 1)


class FilesTests(LiveCase):
    def test_socket_and_discovery_are_private_and_removed_on_exit(self):
        demo = self.start_demo("--listen", "unix", "--forever", "--requests", "10")
        info = self.wait_discovery(demo)
        sock_path = info["address"][len("unix:"):]
        disc_path = self.discovery_path(demo.pid)
        self.assertEqual(stat.S_IMODE(os.stat(self.weft_dir()).st_mode), 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(disc_path).st_mode), 0o600)
        self.assertTrue(stat.S_ISSOCK(os.stat(sock_path).st_mode))
        self.assertEqual(stat.S_IMODE(os.stat(sock_path).st_mode), 0o600)
        self.assertEqual(len(info["token"]), 32)
        self.assertEqual(info["pid"], demo.pid)

        demo.send_signal(signal.SIGTERM)
        self.assertEqual(self.finish(demo, 10), 0, self.log_of(demo))
        self.assertFalse(os.path.exists(sock_path), "socket left behind")
        self.assertFalse(os.path.exists(disc_path), "discovery file left behind")
        self.assertEqual([n for n in os.listdir(self.weft_dir())], [])


def python_agent_listens():
    if not PY_AGENT_DIR:
        return False, "WEFT_PY_AGENT_DIR not set"
    env = dict(os.environ, PYTHONPATH=PY_AGENT_DIR)
    run = subprocess.run([sys.executable, "-m", "weft_asyncio", "--help"], env=env, capture_output=True,
                         text=True, timeout=30)
    if run.returncode != 0:
        return False, "python3 -m weft_asyncio --help failed: " + run.stderr[-500:]
    if "--listen" not in run.stdout:
        return False, "python3 -m weft_asyncio --help shows no --listen"
    return True, ""


PY_OK, PY_WHY = python_agent_listens()


@unittest.skipUnless(PY_OK, "Python agent live serving not available: " + PY_WHY)
class PythonAgentTests(LiveCase):
    def start_python(self, seconds, *agent_args):
        env = dict(self.env, PYTHONPATH=PY_AGENT_DIR, PYTHONDONTWRITEBYTECODE="1")
        return self.start([sys.executable, "-m", "weft_asyncio"] + list(agent_args) +
                          [os.path.join(PROGRAMS, "py_load.py"), str(seconds)], "python-%d" % len(self.procs), env)

    def test_python_every_event_arrives(self):
        file_trace = os.path.join(self.tmp, "file.weft")
        proc = self.start_python(3, "--listen", "unix", "--output", file_trace)
        self.wait_discovery(proc)
        capture = os.path.join(self.tmp, "capture.weft")
        rec = self.record(proc.pid, capture)
        self.assertEqual(self.finish(proc, 20), 0, self.log_of(proc))
        self.assertEqual(self.finish(rec, 10), 0, self.log_of(rec))
        live = self.summary(capture)
        written = self.summary(file_trace)
        self.assert_no_loss(live, "live capture")
        self.assert_no_loss(written, "file")
        self.assertGreater(live["events"]["total"], 0)
        # The file and the live stream carry the same records.
        self.assertEqual(live["events"]["total"], written["events"]["total"])
        self.assertEqual(live["tasks"]["total"], written["tasks"]["total"])
        report("Python agent: %d events (%.0f events/s) arrived live, same as its file"
               % (live["events"]["total"], live["events"]["total"] / 3.0))

    def test_python_detach_and_reattach(self):
        proc = self.start_python(5, "--listen", "unix")

        def stop():
            self.assertEqual(self.finish(proc, 15), 0, self.log_of(proc))

        self.check_reattach(proc, stop)


if __name__ == "__main__":
    unittest.main(verbosity=2)
