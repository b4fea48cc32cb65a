#!/usr/bin/env python3
"""Overhead of the weft_asyncio agent on a task-heavy asyncio workload.

Three workloads:
  micro   tasks that do nothing but schedule each other: the worst case, all agent overhead
  mixed   the same, each task step also doing some plain-Python work (~300 loop iterations)
  server  a request/response server over loopback TCP (asyncio streams): clients connect, send
          lines, read replies; the server answers each request from a task of its own. Steps do
          what such programs do: socket reads and writes, parsing, formatting.
Each mode runs in a fresh interpreter, several times; the median wall time is reported:
  untraced   plain asyncio
  disabled   weft_asyncio imported, not started (the "installed but disabled" cost)
  traced     weft_asyncio started with everything on (blocking watchdog, lag, executor spans),
             with its native hooks (weft_asyncio._speedups) when they are built
  pure       the same on the pure-Python hooks (WEFT_ASYNCIO_PURE=1); only when the native ones
             are built (otherwise "traced" is this already)
  yappi      yappi profiling the same program with its wall clock, for comparison (when the
             interpreter has it: Debian's python3-yappi); started and stopped like the agent

Targets (wall time against untraced): traced micro <= 1.3x, mixed <= 1.15x, server <= 1.25x;
pure server <= 1.5x; disabled <= 1.02x. Figures are reported, never asserted.
Usage: bench_asyncio_overhead.py [--repeat N] [--tasks N] [--python PATH] [--workloads micro,mixed,server]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "agents", "python"))

WORKLOAD = r'''
import asyncio, sys, time, os
MODE, TASKS, OUT, WORK, KIND = (sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]),
                                sys.argv[5])
if MODE in ("disabled", "traced", "pure"):
    import weft_asyncio
if MODE in ("traced", "pure"):
    weft_asyncio.start(OUT)
if MODE == "yappi":
    import yappi
    yappi.set_clock_type("wall")
    yappi.start()

def work():
    # WORK iterations of plain Python: stands for what a real task does between awaits.
    acc = 0
    for k in range(WORK):
        acc += k * k
    return acc


async def leaf(i):
    work()
    await asyncio.sleep(0)
    work()
    return i

async def fan_out(n):
    return sum(await asyncio.gather(*(leaf(i) for i in range(n))))

async def producer(q, n):
    for i in range(n):
        await q.put(i)
    await q.put(None)

async def consumer(q):
    total = 0
    while (item := await q.get()) is not None:
        total += item
    return total

async def main():
    total = 0
    for _ in range(TASKS // 100):
        total += await fan_out(100)
    for _ in range(TASKS // 1000):
        q = asyncio.Queue(maxsize=16)
        _, got = await asyncio.gather(producer(q, 1000), consumer(q))
        total += got
    return total

async def answer(line):
    # One request's work: parse it, compute, format the reply.
    op, a, b = line.decode().split()
    value = int(a) * int(b) if op == "mul" else int(a) + int(b)
    return ("%s %d\n" % (op, value)).encode()

async def handle(reader, writer):
    while line := await reader.readline():
        writer.write(await asyncio.create_task(answer(line)))
        await writer.drain()
    writer.close()

async def client(port, requests):
    total = 0
    for start in range(0, requests, 10):  # a new connection every 10 requests
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for i in range(start, start + 10):
            writer.write(b"mul %d %d\n" % (i, i + 1))
            await writer.drain()
            total += int((await reader.readline()).split()[1])
        writer.close()
        await writer.wait_closed()
    return total

async def server_main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    clients = 50
    totals = await asyncio.gather(*(client(port, TASKS // clients // 10 * 10)
                                    for _ in range(clients)))
    server.close()
    await server.wait_closed()
    return sum(totals)

t0, c0 = time.perf_counter(), time.process_time()
asyncio.run(server_main() if KIND == "server" else main())
if MODE in ("traced", "pure"):
    weft_asyncio.stop()  # included: writing out what is still buffered is part of the cost
if MODE == "yappi":
    yappi.stop()
print(time.perf_counter() - t0, time.process_time() - c0)
'''


def run(python, mode, tasks, out, work, kind):
    env = dict(os.environ)
    env["PYTHONPATH"] = AGENT_DIR + os.pathsep + env.get("PYTHONPATH", "")
    env["WEFT_ASYNCIO_PURE"] = "1" if mode == "pure" else "0"
    result = subprocess.run([python, "-c", WORKLOAD, mode, str(tasks), out, str(work), kind],
                            env=env,
                            check=True, capture_output=True, text=True)
    wall, cpu = result.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--tasks", type=int, default=20000)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--work", type=int, default=300,
                    help="loop iterations per step in the mixed workload (~10-20 us)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--workloads", default="micro,mixed,server",
                    help="which workloads to run, comma-separated (default: all three)")
    args = ap.parse_args()
    modes = ["untraced", "disabled", "traced"]
    env = dict(os.environ, PYTHONPATH=AGENT_DIR, WEFT_ASYNCIO_PURE="0")
    native = subprocess.run([args.python, "-c", "import weft_asyncio._speedups"], env=env,
                            capture_output=True).returncode == 0
    if native:
        modes.append("pure")
    if subprocess.run([args.python, "-c", "import yappi"], capture_output=True).returncode == 0:
        modes.append("yappi")
    reports = []
    chosen = set(args.workloads.split(","))
    for workload, work in (("micro", 0), ("mixed", args.work), ("server", 0)):
        if workload not in chosen:
            continue
        times = {mode: [] for mode in modes}
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "bench.weft")
            for _ in range(args.repeat):  # interleaved: drift in machine load hits every mode
                for mode in times:
                    times[mode].append(run(args.python, mode, args.tasks, out, work, workload))
            trace_bytes = os.path.getsize(out)
        med = {m: statistics.median(w for w, _ in v) for m, v in times.items()}
        cpu = {m: statistics.median(c for _, c in v) for m, v in times.items()}
        reports.append({
            "workload": workload,
            "work_iterations_per_step": work,
            "python": args.python,
            "tasks": args.tasks,
            "repeat": args.repeat,
            "median_s": med,
            "median_cpu_s": cpu,
            "traced_cpu_ratio": cpu["traced"] / cpu["untraced"],
            "disabled_cpu_ratio": cpu["disabled"] / cpu["untraced"],
            "disabled_ratio": med["disabled"] / med["untraced"],
            "traced_ratio": med["traced"] / med["untraced"],
            "yappi_ratio": med["yappi"] / med["untraced"] if "yappi" in med else None,
            "pure_ratio": med["pure"] / med["untraced"] if "pure" in med else None,
            "native": native,
            "trace_bytes": trace_bytes,
        })
    if args.json:
        print(json.dumps(reports, indent=2))
        return
    print("python   %s" % args.python)
    print("traced   %s hooks" % ("native (weft_asyncio._speedups)" if native else
                                 "pure-Python (weft_asyncio._speedups is not built)"))
    for r in reports:
        if r["workload"] == "server":
            shape = "%d requests from 50 clients over loopback TCP, a task per request" % r["tasks"]
        else:
            shape = "%d tasks in gathers of 100 + queue pipelines, %d work iterations per step" % (
                r["tasks"], r["work_iterations_per_step"])
        print("workload %s: %s, median of %d runs" % (r["workload"], shape, r["repeat"]))
        wall, cpu = r["median_s"], r["median_cpu_s"]
        for mode in wall:
            print("  %-9s wall %8.3f s  x%.3f   cpu %8.3f s  x%.3f" % (
                mode, wall[mode], wall[mode] / wall["untraced"], cpu[mode],
                cpu[mode] / cpu["untraced"]))
        print("  trace file %d bytes" % r["trace_bytes"])

if __name__ == "__main__":
    main()
