"""Shared helpers: run programs traced and untraced, and rebuild tasks from a trace's events."""

import functools
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT_DIR = os.path.dirname(HERE)
PROGRAMS = os.path.join(HERE, "programs")
sys.path.insert(0, AGENT_DIR)
sys.path.insert(0, HERE)

import weft_reader  # noqa: E402

_TMP = tempfile.TemporaryDirectory(prefix="weft-asyncio-tests-")


def env():
    e = dict(os.environ)
    e["PYTHONPATH"] = AGENT_DIR + os.pathsep + e.get("PYTHONPATH", "")
    e.pop("WEFT_OUTPUT", None)
    return e


def run(args, timeout=120, extra_env=None):
    e = env()
    if extra_env:
        e.update(extra_env)
    return subprocess.run([sys.executable] + args, cwd=PROGRAMS, env=e, capture_output=True,
                          text=True, timeout=timeout)


def trace_path(name):
    return os.path.join(_TMP.name, name)


def run_traced(program, args=(), out_name=None, options=()):
    out = trace_path(out_name or (program + ".weft"))
    proc = run(["-m", "weft_asyncio", "--output", out, *options, program, *args])
    return proc, out


@functools.lru_cache(maxsize=None)
def scenario():
    """(untraced process, traced process, trace file, parsed trace) of programs/scenario.py."""
    plain = run(["scenario.py", "x", "--flag"])
    traced, out = run_traced("scenario.py", ("x", "--flag"))
    trace = weft_reader.read(out) if traced.returncode == 0 else None
    return plain, traced, out, trace


class TaskView:
    def __init__(self, task_id):
        self.task_id = task_id
        self.parent = None
        self.name = None
        self.coro = None
        self.site = None
        self.slices = []       # (begin, end)
        self.awaits = []       # (begin, end, description, location)
        self.outcome = None
        self.message = None
        self.created = None
        self.completed = None


def tasks_of(trace):
    """Tasks rebuilt from the events, checking the per-task event order on the way."""
    tasks = {}
    open_run = {}
    open_await = {}
    for e in trace.events:
        if e.name == "task_created":
            tid = e.fields[0]
            assert tid not in tasks, "duplicate task id %d" % tid
            t = tasks[tid] = TaskView(tid)
            t.parent, t.name, t.coro, t.site = e.fields[1:5]
            t.created = e.ticks
        elif e.name == "task_run_begin":
            tid = e.fields[0]
            assert tid in tasks, "run of unknown task %d" % tid
            assert tid not in open_run, "nested run of task %d" % tid
            assert tid not in open_await, "task %d ran while awaiting" % tid
            open_run[tid] = e.ticks
        elif e.name == "task_run_end":
            tid = e.fields[0]
            assert tid in open_run, "run end without begin for %d" % tid
            tasks[tid].slices.append((open_run.pop(tid), e.ticks))
        elif e.name == "await_begin":
            tid = e.fields[0]
            assert tid not in open_await, "second await of task %d" % tid
            open_await[tid] = (e.ticks, e.fields[1], e.fields[2])
        elif e.name == "await_end":
            tid = e.fields[0]
            assert tid in open_await, "await end without begin for %d" % tid
            begin, desc, loc = open_await.pop(tid)
            tasks[tid].awaits.append((begin, e.ticks, desc, loc))
        elif e.name == "task_completed":
            tid = e.fields[0]
            assert tid not in open_await, "task %d completed while awaiting" % tid
            t = tasks[tid]
            assert t.outcome is None, "task %d completed twice" % tid
            t.outcome, t.message = e.fields[1], e.fields[2]
            t.completed = e.ticks
    assert not open_run, "unfinished run slices: %r" % open_run
    return tasks


def source_line(path, needle):
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if needle in line:
                return number
    raise AssertionError("%r not in %s" % (needle, path))
