"""Live serving: a traced program started with --listen, found by its discovery file and attached
to by a test viewer (live_client) that checks every frame."""

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import live_client
import weft_reader
from support import PROGRAMS, env, trace_path


def start_worker(runtime, listen="unix", output=None, extra=(), limit=60.0, stats=False):
    """Start programs/live_worker.py traced with --listen; returns (process, stop file)."""
    stop_file = os.path.join(runtime, "stop-%d" % time.monotonic_ns())
    e = env()
    e["XDG_RUNTIME_DIR"] = runtime
    if stats:
        e["WEFT_STATS"] = "1"
    args = [sys.executable, "-m", "weft_asyncio", "--listen", listen]
    if output:
        args += ["--output", output]
    args += [*extra, "live_worker.py", stop_file, str(limit)]
    proc = subprocess.Popen(args, cwd=PROGRAMS, env=e, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    return proc, stop_file


def finish(proc, stop_file, timeout=60):
    with open(stop_file, "w"):
        pass
    out, err = proc.communicate(timeout=timeout)
    return out, err


BUSY = 3  # the refusal status "another viewer is attached"


def refusal(address, data, shutdown=False, wait_free=True):
    """Send `data` and read the answer (status, message). The viewer of an earlier test may not be
    detached yet (the process sees its socket closed at its next poll): while the answer is "busy"
    and `wait_free`, ask again, for 3 s at most."""
    deadline = time.monotonic() + 3.0
    while True:
        sock = live_client.connect(address)
        try:
            if data:
                sock.sendall(data)
            if shutdown:
                sock.shutdown(socket.SHUT_WR)
            answer = live_client.read_answer(sock)
            rest = sock.recv(16)  # the process closes the connection after a refusal
        finally:
            sock.close()
        if answer[2] != BUSY or not wait_free or time.monotonic() > deadline:
            return answer[2], answer[3], rest
        time.sleep(0.05)


class RunningProcessTest(unittest.TestCase):
    """One program serving on the default Unix socket for the whole class."""

    @classmethod
    def setUpClass(cls):
        cls.runtime = tempfile.mkdtemp(prefix="xdg-", dir=os.path.dirname(trace_path("x")))
        cls.proc, cls.stop_file = start_worker(cls.runtime)
        cls.discovery_file, cls.info = live_client.wait_discovery(cls.runtime, cls.proc.pid,
                                                                  cls.proc)
        cls.address = cls.info["address"]

    @classmethod
    def tearDownClass(cls):
        cls.out, cls.err = finish(cls.proc, cls.stop_file)
        shutil.rmtree(cls.runtime, ignore_errors=True)

    def assert_running(self):
        self.assertIsNone(self.proc.poll(), "the program stopped")

    def test_discovery_file(self):
        info = self.info
        self.assertEqual(info["protocol"], 1)
        self.assertEqual(info["pid"], self.proc.pid)
        self.assertEqual(len(info["token"]), 32)
        int(info["token"], 16)
        self.assertGreater(info["start_time_ns"], 1_600_000_000 * 10**9)
        self.assertTrue(info["exe"].endswith("live_worker.py"), info["exe"])
        folder = os.path.join(self.runtime, "weft")
        self.assertEqual(info["address"], "unix:%s/%d.sock" % (folder, self.proc.pid))

    def test_permissions(self):
        folder = os.path.join(self.runtime, "weft")
        self.assertEqual(stat.S_IMODE(os.stat(folder).st_mode), 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(self.discovery_file).st_mode), 0o600)
        sock_path = self.address[5:]
        st = os.stat(sock_path)
        self.assertTrue(stat.S_ISSOCK(st.st_mode))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
        self.assertFalse([n for n in os.listdir(folder) if n.endswith(".tmp")])

    def test_attach_detach_reattach(self):
        first = live_client.Session()
        sock, answer = live_client.attach(self.address, self.info["token"])
        self.assertEqual(answer[:3], (1, 0, 0))
        self.assertIn(str(self.proc.pid), answer[3])
        with sock:
            first.read_until(sock, lambda s: len(s.blocks) >= 3)
        self.assertEqual(first.kinds[0], 1)
        self.assertEqual(first.process["pid"], self.proc.pid)
        self.assertEqual(first.process["properties"]["agent"], "weft_asyncio")
        loops = [s for s in first.streams.values() if "event-loop" in s["tags"]]
        self.assertEqual(len(loops), 1)
        self.assertEqual(first.gaps, 0)
        # The history comes again from the flight recorder, from the first block on.
        time.sleep(0.2)
        second = live_client.Session()
        sock, _ = live_client.attach(self.address, self.info["token"])
        with sock:
            second.read_until(sock, lambda s: len(s.blocks) >= len(first.blocks) + 3)
        self.assertEqual(second.process["process_id"], first.process["process_id"])
        self.assertEqual(set(second.streams), set(first.streams))
        firsts = [b["block_id"] for b in first.blocks]
        self.assertEqual([b["block_id"] for b in second.blocks[:len(firsts)]], firsts)
        self.assertEqual(second.blocks[0]["object_offset"], 0)
        self.assertEqual(second.gaps, 0)
        self.assert_running()

    def test_blocks_keep_coming(self):
        # While attached, new blocks arrive every ~50 ms: within a couple of seconds many do.
        session = live_client.Session()
        sock, _ = live_client.attach(self.address, self.info["token"])
        with sock:
            session.read_until(sock, lambda s: len(s.blocks) >= 1)
            history = len(session.blocks)
            t0 = time.monotonic()
            session.read_until(sock, lambda s: len(s.blocks) >= history + 10)
            elapsed = time.monotonic() - t0
        self.assertGreater(session.events(), 0)
        kinds = {e[0] for b in session.blocks for e in weft_reader._decode_payload(b)["events"]}
        self.assertTrue({5, 6, 7, 8, 9, 10} <= kinds, kinds)
        print("\n  live: 10 new blocks in %.2f s" % elapsed, file=sys.stderr)

    def test_wrong_token_refused(self):
        status, message, rest = refusal(self.address, live_client.hello("0" * 32))
        self.assertEqual(status, 2)
        self.assertIn("token", message)
        self.assertEqual(rest, b"")
        status, _, _ = refusal(self.address, live_client.hello(""))
        self.assertEqual(status, 2)
        self.assert_running()
        sock, _ = live_client.attach(self.address, self.info["token"])  # still serving
        sock.close()

    def test_unsupported_version_refused(self):
        status, message, _ = refusal(self.address, live_client.hello(self.info["token"], 2, 0))
        self.assertEqual(status, 1)
        self.assertIn("protocol 1", message)
        self.assert_running()

    def test_garbage_refused(self):
        status, message, _ = refusal(self.address, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(status, 4)
        self.assertIn("WEFTLIVE", message)
        # An oversized token length is refused before any token byte is read.
        status, message, _ = refusal(self.address, b"WEFTLIVE\x01\x00\x00\x00\xff\xff")
        self.assertEqual(status, 4)
        self.assertIn("exceeds", message)
        # A hello cut short, then end of file.
        status, message, _ = refusal(self.address, b"WEFTLI", shutdown=True)
        self.assertEqual(status, 4)
        self.assert_running()

    def test_second_viewer_refused_and_stalled_peer_blocks_nobody(self):
        stalled = live_client.connect(self.address)  # connects, never says hello
        try:
            sock, _ = live_client.attach(self.address, self.info["token"])
            with sock:
                session = live_client.Session()
                session.read_until(sock, lambda s: len(s.blocks) >= 1)
                status, message, _ = refusal(self.address, live_client.hello(self.info["token"]),
                                             wait_free=False)
                self.assertEqual(status, 3)
                self.assertIn("another viewer", message)
                session.read_until(sock, lambda s: len(s.blocks) >= 5)  # unaffected
        finally:
            stalled.close()
        self.assert_running()


class LifecycleTest(unittest.TestCase):
    def setUp(self):
        self.runtime = tempfile.mkdtemp(prefix="xdg-", dir=os.path.dirname(trace_path("x")))

    def tearDown(self):
        shutil.rmtree(self.runtime, ignore_errors=True)

    def test_zero_loss_against_the_file(self):
        out = trace_path("live-and-file.weft")
        proc, stop_file = start_worker(self.runtime, output=out, stats=True)
        _, info = live_client.wait_discovery(self.runtime, proc.pid, proc)
        sock, _ = live_client.attach(info["address"], info["token"])
        session = live_client.Session()
        done = []
        reader = threading.Thread(target=lambda: done.append(session.read_until(sock)))
        reader.start()
        time.sleep(1.5)
        stdout, stderr = finish(proc, stop_file)
        reader.join(30)
        sock.close()
        self.assertEqual(proc.returncode, 0, stderr)
        self.assertEqual(done, [False])  # the process closed the stream at exit
        self.assertTrue(stdout.startswith("rounds "), stdout)
        trace = weft_reader.read(out)
        file_blocks = [b["block_id"] for b, _ in trace.blocks]
        self.assertEqual([b["block_id"] for b in session.blocks], file_blocks)
        self.assertEqual(session.events(), len(trace.events))
        self.assertEqual(session.gaps, 0)
        self.assertIn("weft_asyncio: %d events in %d blocks" % (len(trace.events), len(file_blocks)),
                      stderr)
        self.assertIn("0 dropped", stderr)
        for name in os.listdir(os.path.join(self.runtime, "weft")):
            self.fail("left behind at exit: " + name)

    def test_listen_only_writes_no_file_and_cleans_up(self):
        cwd_before = set(os.listdir(PROGRAMS))
        proc, stop_file = start_worker(self.runtime)
        path, info = live_client.wait_discovery(self.runtime, proc.pid, proc)
        sock_path = info["address"][5:]
        self.assertTrue(os.path.exists(sock_path))
        finish(proc, stop_file)
        self.assertEqual(proc.returncode, 0)
        self.assertFalse(os.path.exists(path))
        self.assertFalse(os.path.exists(sock_path))
        self.assertEqual(set(os.listdir(PROGRAMS)), cwd_before)  # no weft-<pid>.weft

    def test_tcp_port_zero_and_small_flight_recorder(self):
        # With a flight recorder of ~20 KiB, a viewer attaching late gets only the recent blocks:
        # the first one it sees starts past offset 0 (older ones were evicted).
        proc, stop_file = start_worker(self.runtime, listen="tcp:127.0.0.1:0",
                                       extra=("--flight-recorder-mb", "0.02", "--no-compress",
                                              "--block-events", "4096"))
        try:
            _, info = live_client.wait_discovery(self.runtime, proc.pid, proc)
            host, _, port = info["address"][4:].rpartition(":")
            self.assertEqual(host, "127.0.0.1")
            self.assertGreater(int(port), 0)
            time.sleep(2.0)
            sock, _ = live_client.attach(info["address"], info["token"])
            with sock:
                session = live_client.Session()
                session.read_until(sock, lambda s: len(s.blocks) >= 3)
            loop = [sid for sid, s in session.streams.items() if "event-loop" in s["tags"]][0]
            first = [b for b in session.blocks if b["stream_id"] == loop][0]
            self.assertGreater(first["object_offset"], 0)
            self.assertEqual(session.gaps, 0)
            status, _, _ = refusal(info["address"], live_client.hello("f" * 32))
            self.assertEqual(status, 2)
        finally:
            finish(proc, stop_file)
        self.assertEqual(proc.returncode, 0)

    def test_refuses_non_loopback_and_bad_addresses(self):
        for address in ("tcp:0.0.0.0:0", "tcp:192.168.1.1:7878", "udp:1", "tcp:127.0.0.1:x"):
            e = env()
            e["XDG_RUNTIME_DIR"] = self.runtime
            proc = subprocess.run([sys.executable, "-m", "weft_asyncio", "--listen", address,
                                   "live_worker.py", "unused"], cwd=PROGRAMS, env=e,
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(proc.returncode, 2, address)
            self.assertIn("python -m weft_asyncio:", proc.stderr)

    def test_in_process_api(self):
        # start(listen=...) in this process: WEFT_LISTEN is honoured when listen is not given.
        code = r'''
import asyncio, json, os, sys
import weft_asyncio
weft_asyncio.start(lag_interval_ms=0)
s = weft_asyncio.stats()
print(json.dumps([s["path"], weft_asyncio.live_address(), s["live"]["discovery_file"],
                  os.getpid()]))
async def main():
    await asyncio.gather(*(asyncio.sleep(0.001) for _ in range(10)))
asyncio.run(main())
print(weft_asyncio.stop())
print(weft_asyncio.live_address())
'''
        e = env()
        e["XDG_RUNTIME_DIR"] = self.runtime
        e["WEFT_LISTEN"] = "unix:" + os.path.join(self.runtime, "explicit.sock")
        proc = subprocess.run([sys.executable, "-c", code], env=e, capture_output=True, text=True,
                              timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stdout.splitlines()
        path, address, discovery, pid = json.loads(lines[0])
        self.assertIsNone(path)
        self.assertEqual(address, "unix:" + os.path.join(self.runtime, "explicit.sock"))
        self.assertEqual(discovery, os.path.join(self.runtime, "weft", "%d.json" % pid))
        self.assertEqual(lines[1:], ["None", "None"])
        self.assertFalse(os.path.exists(discovery))
        self.assertFalse(os.path.exists(address[5:]))


@unittest.skipUnless(os.environ.get("WEFT_CLI"), "WEFT_CLI is not set")
class RecordWithCliTest(unittest.TestCase):
    def test_record_attach(self):
        cli = os.environ["WEFT_CLI"]
        help_text = subprocess.run([cli, "record", "--help"], capture_output=True, text=True)
        if help_text.returncode != 0 or "--attach" not in help_text.stdout:
            self.skipTest("this weft-cli has no 'record --attach'")
        runtime = tempfile.mkdtemp(prefix="xdg-", dir=os.path.dirname(trace_path("x")))
        out = trace_path("recorded-live.weft")
        proc, stop_file = start_worker(runtime)
        try:
            _, info = live_client.wait_discovery(runtime, proc.pid, proc)
            e = dict(os.environ, XDG_RUNTIME_DIR=runtime)
            rec = subprocess.Popen([cli, "record", "--attach", info["address"], "--output", out],
                                   env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
            time.sleep(1.5)
        finally:
            finish(proc, stop_file)
        rec_out, rec_err = rec.communicate(timeout=60)
        self.assertEqual(rec.returncode, 0, rec_err)
        summary = subprocess.run([cli, "summary", "--json", out], capture_output=True, text=True,
                                 timeout=60)
        self.assertEqual(summary.returncode, 0, summary.stderr)
        data = json.loads(summary.stdout)
        trace = weft_reader.read(out)
        tasks = sum(1 for e in trace.events if e.name == "task_created")
        self.assertGreater(tasks, 8)
        self.assertIn(str(tasks), summary.stdout)
        self.assertTrue(data)
        shutil.rmtree(runtime, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
