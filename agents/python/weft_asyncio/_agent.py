"""asyncio instrumentation: task creation, run slices, await points, completion, blocking, lag.

Two methods of asyncio.BaseEventLoop's machinery are observed while tracing is on, and restored by
stop():

- ``BaseEventLoop._call_soon``: every callback the loop schedules passes through it. A Task
  schedules its own step there when it is created (so the first sighting of a task is its
  creation) and a future schedules the task's wake-up there when it completes (the end of an await).
- ``events.Handle._run``: every callback the loop runs passes through it. When the callback is a
  task's step or wake-up, the call is a run slice; at its end the task is either done (completion:
  a task only finishes inside its own step) or suspended on ``task._fut_waiter`` (an await point).
  Every callback is timed for blocking detection.

Tasks keep their identity, names and callbacks: nothing is added to them. The agent's per-task
state lives in a dict keyed by id(task), checked by a weak reference and bounded by max_tasks.

Nothing is put on the program's loops either: no timer, no callback, no task. Event-loop lag is
measured from what the two hooks see anyway (see Recorder._lag), and events that wait in a quiet
thread's buffer are handed over by the writer thread (_writer.ThreadBuffer.take_old).
"""

import asyncio
import asyncio.base_events as _base_events
import asyncio.events as _events
import asyncio.tasks as _tasks
import itertools
import struct
import sys
import threading
import time
import types
import weakref

from . import _sites
from ._native import speedups as _speedups
from ._cbor import U32, U64, pack3, pack5
from ._writer import (MAX_BLOCK_STRING_BYTES, AWAIT_BEGIN, AWAIT_END, BLOCKING,
                      HEAD_AWAIT_BEGIN, HEAD_AWAIT_END, HEAD_COMPLETED, HEAD_RUN_BEGIN, HEAD_RUN_END, LOOP_LAG, TASK_COMPLETED,
                      TASK_RUN_BEGIN, TASK_RUN_END, THREAD_SPAN_BEGIN, THREAD_SPAN_END,
                      new_created_event as _new_created_event,
                      now_ticks)

_TASK_TYPES = tuple(t for t in (asyncio.Task, getattr(_tasks, "_PyTask", None),
                                getattr(_tasks, "_CTask", None)) if isinstance(t, type))
# Names of a task's own step and wake-up callbacks (C and pure-Python tasks, 3.10 to 3.12).
_STEP_NAMES = frozenset(("__step", "__wakeup", "task_wakeup", "task_step",
                         "__step_run_and_handle_result"))
# Types a task's step or wake-up callback can have: a bound method (pure-Python tasks), a
# builtin method (the C task's wake-up) or the C task's TaskStepMethWrapper, added on first
# sight. Checking the type first keeps plain-function callbacks on the cheapest path.
_CALLBACK_TYPES = {types.MethodType, types.BuiltinMethodType}
_STEP_WRAPPER_TYPES = set()
# type(callback) -> _BY_NAME (a method: a task step if its name and owner say so) or _WRAPPER
# (the C task's step wrapper: always a step of its __self__). One dict lookup per callback.
_BY_NAME, _WRAPPER = 1, 2
_CALLBACK_KIND = {types.MethodType: _BY_NAME, types.BuiltinMethodType: _BY_NAME}

_weakref = weakref.ref
_caller_location = _sites.caller_location
_orig_call_soon = _base_events.BaseEventLoop._call_soon
_orig_run = _events.Handle._run
_orig_run_in_executor = _base_events.BaseEventLoop.run_in_executor
_BaseEventLoop = _base_events.BaseEventLoop
_default_loop_time = _base_events.BaseEventLoop.time
_monotonic = time.monotonic
_NEVER = 1 << 62
_TimerHandle = _events.TimerHandle
_Handle = _events.Handle
_iscoroutinefunction = asyncio.iscoroutinefunction
_NO_PROBE = weakref.ref(set())  # a reference to nothing: calling it gives None

# Set while a loop thread wants the next callback it schedules timed for lag (Recorder._lag):
# the one global the call_soon hook reads for it.
_lag_wanted = False

# The active recorder, or None. Hooks read this module global once per call.
recorder = None

_task_ids = itertools.count(1)


def _learn_step_wrapper():
    """Find the type of the C task's step callback: create (never run) a task on a private loop.

    The task is given a name, so the counter behind the program's default task names
    ("Task-N") does not move."""
    seen = []

    def spy(self, callback, args, context):
        seen.append(callback)
        return _orig_call_soon(self, callback, args, context)

    async def nothing():
        return None

    # A loop made directly, not through the event loop policy: asking the policy would create
    # the process's policy object, which the program (or a test harness) may expect unset.
    loop = asyncio.SelectorEventLoop()
    coro = nothing()
    task = None
    _base_events.BaseEventLoop._call_soon = spy
    try:
        task = loop.create_task(coro, name="weft-probe")  # named: the Task-N counter is kept
    finally:
        _base_events.BaseEventLoop._call_soon = _orig_call_soon
        coro.close()
        if task is not None:
            try:
                task._log_destroy_pending = False
            except Exception:
                pass
        loop.close()
    for callback in seen:
        if getattr(callback, "__self__", None) is task and type(callback) not in _CALLBACK_TYPES:
            _STEP_WRAPPER_TYPES.add(type(callback))
            _CALLBACK_TYPES.add(type(callback))
            _CALLBACK_KIND[type(callback)] = _WRAPPER


# A task's entry is a list (cheaper to make and read than an object, on the hottest path):
_ID, _REF, _AWAITING, _CREATED = 0, 1, 2, 3
# [task_id, weakref to the task, awaiting (bool), (task_created event, its buffer, the buffer's
#  generation) while the event's name field may still be filled in, else None]


def _task_label(task):
    """What an awaited task is called in an await's description: its name, or for a task that
    kept asyncio's default name ("Task-N", a new one per task) its coroutine's qualified name, so
    that awaits on tasks running the same coroutine read alike and share one string."""
    name = task.get_name()
    if name.startswith("Task-") and name[5:].isdigit():
        coro = _coro_name(task)
        if coro:
            return coro
    return name


if _speedups is not None:
    _StateFields = _speedups.StateBase  # the same fields as C members, for the native hooks
else:
    class _StateFields:
        __slots__ = ("ident", "buf", "active_since", "sample", "loop", "running", "lag_due",
                     "lag_late", "lag_clock", "lag_arm", "lag_probe", "lag_probe_ticks")


class _ThreadState(_StateFields):
    """Per-thread recording state; for a loop thread also what the watchdog needs."""

    __slots__ = ()

    def __init__(self, ident, buf, lag_ticks):
        self.ident = ident
        self.buf = buf
        self.active_since = 0   # tick when the running callback started, 0 when idle
        self.running = 0        # id of the task whose step runs on this thread now, else 0
        self.sample = None      # (active_since, frames) captured by the watchdog
        self.loop = None        # the loop this thread last ran callbacks of
        # Lag (Recorder._lag): the tick from which a callback's start is looked at (0 while a
        # probe waits); the latest a timer ran since the last sample (seconds, -1: none) and
        # whether timers are measured (the loop's clock is the usual one); the callback being
        # timed (a weak reference: it must not outlive the loop's own hold on it) and when its
        # wait began; lag_arm: the next call_soon becomes the probe.
        self.lag_due = now_ticks() if lag_ticks else _NEVER
        self.lag_late = -1.0
        self.lag_clock = False
        self.lag_arm = False
        self.lag_probe = _NO_PROBE
        self.lag_probe_ticks = 0


def _coro_name(task):
    try:
        coro = task.get_coro()
        return getattr(coro, "__qualname__", None) or type(coro).__name__
    except Exception:
        return None


class Recorder:
    def __init__(self, writer, blocking_threshold_ms=100.0, lag_interval_ms=100.0,
                 max_tasks=100_000, instrument_executor=True):
        self.writer = writer
        self.threshold = int(blocking_threshold_ms * 1e6) if blocking_threshold_ms else 0
        # What the hot paths compare a callback's duration with: never reached when off.
        self.blocking_ticks = self.threshold or _NEVER
        # At most one lag sample per this many ticks on each loop thread; 0: none.
        self.lag_ticks = int(lag_interval_ms * 1e6) if lag_interval_ms and lag_interval_ms > 0 else 0
        self.max_tasks = max(1, int(max_tasks))
        self.instrument_executor = instrument_executor
        self.tasks = {}            # id(task) -> entry list (see _ID...)
        self.loop_threads = {}     # thread ident -> _ThreadState of threads that ran a loop
        self._tls = threading.local()

    def state(self):
        """This thread's state (and buffer), created on first use."""
        try:
            return self._tls.state
        except AttributeError:
            state = self._tls.state = _ThreadState(threading.get_ident(), self.writer.buffer(),
                                                   self.lag_ticks)
            return state

    def buffer(self):
        return self.state().buf

    # -- tasks ---------------------------------------------------------------------------

    def created(self, task, state, seen_created=True, depth=4):
        """Record the creation of `task`, first seen now on the thread of `state`; returns its
        entry (None: untracked). Its parent is the task whose step runs on this thread, which is
        what asyncio.current_task() would say: tasks are created on their loop's thread.
        `seen_created`: False for a task created before tracing started (no spawn site).
        `depth`: how many frames up from _sites.caller_location the caller of call_soon is."""
        tasks = self.tasks
        buf = state.buf
        if len(tasks) >= self.max_tasks:
            buf.dropped += 1  # the creation or wake-up seen now
            return None
        task_id = next(_task_ids)
        ref = _weakref(task)
        try:
            coro_name = task.get_coro().__qualname__
        except Exception:
            coro_name = _coro_name(task)
        sid = buf.strings.get(coro_name)
        if sid is None:
            sid = buf.string(coro_name)
        # Frames up from caller_location: created, _call_soon_hook, call_soon: then the caller
        # of call_soon, asyncio's or the program's.
        loc = _caller_location(depth) if seen_created else None
        lid = buf.locations.get(loc) if loc is not None else 0
        if lid is None:
            lid = buf.location(loc)
        t = now_ticks()
        event = _new_created_event(t - buf.last, task_id, state.running, sid, lid)
        buf.last = t
        buf.events.append(event)
        buf.pending_names.append((event, ref))
        entry = tasks[id(task)] = [task_id, ref, False, (event, buf, buf.generation)]
        return entry

    def sweep(self):
        """Forget tasks that were garbage-collected without finishing (e.g. their loop closed)."""
        tasks = self.tasks
        for key, entry in list(tasks.items()):
            if entry[1]() is None:
                if tasks.get(key) is entry:
                    tasks.pop(key, None)

    # -- running callbacks -----------------------------------------------------------------

    def _enter_loop(self, state, loop):
        """First callback of `loop` on this thread: tag the stream as an event loop's."""
        state.loop = loop
        # Timers are measured against the loop's clock only when it is the usual one: a loop
        # with a clock of its own (a test's virtual time) is never called into.
        state.lag_clock = bool(self.lag_ticks) and isinstance(loop, _BaseEventLoop) and \
            type(loop).time is _default_loop_time
        if state.ident not in self.loop_threads:
            self.loop_threads[state.ident] = state
            state.buf.event_loop = True
            if _speedups is not None:
                _speedups.watch_state(state)  # the native watchdog reads active_since

    def _lag(self, state, handle, t0):
        """Event-loop lag: how long something ready to run waited for the loop. Every timer is
        measured as it runs, from its due time on the loop's clock (the run hook does it inline,
        into state.lag_late). Besides, once per interval one callback is timed (the probe): the
        newest one waiting in the loop's ready queue, which waits for everything ahead of it,
        or, if none waits, the next one this thread schedules, from its call_soon. A sample is
        the longest of these waits: written when the probe runs, and when the next is chosen if
        timers ran late meanwhile. Called when a callback starts at `t0` past lag_due, which is
        0 while a probe waits (so that its run is seen; it runs within a few callbacks)."""
        global _lag_wanted
        probe = state.lag_probe
        if probe is not _NO_PROBE:
            timed = probe()
            if handle is timed:
                state.lag_probe = _NO_PROBE
                state.lag_due = t0 + self.lag_ticks
                self._lag_sample(state, t0, t0 - state.lag_probe_ticks)
            elif timed is None:  # cancelled, and gone: time another one later
                state.lag_probe = _NO_PROBE
                state.lag_due = t0 + self.lag_ticks
            return
        if t0 < state.lag_due:
            return
        if state.lag_late >= 0:
            self._lag_sample(state, t0, 0)
        state.lag_due = t0 + self.lag_ticks
        loop = handle._loop
        ready = loop._ready if isinstance(loop, _BaseEventLoop) else None
        if ready:
            state.lag_probe = _weakref(ready[-1])
            state.lag_probe_ticks = t0
            state.lag_due = 0
        else:
            state.lag_arm = True
            _lag_wanted = True

    def _lag_sample(self, state, t0, waited):
        late = state.lag_late
        state.lag_late = -1.0
        state.buf.add(LOOP_LAG, t0, max(0, waited, int(late * 1e9)))

    def _await_begin(self, buf, task, entry, t1):
        waiter = task._fut_waiter
        try:
            description, location = _sites.await_site(task.get_coro())
        except Exception:
            description, location = None, None
        if description is None:
            if isinstance(waiter, _TASK_TYPES):
                description = "Task<%s>" % _task_label(waiter)
            else:
                description = type(waiter).__name__
                if description == "_GatheringFuture":
                    description = "gather"
        entry[2] = True
        sid = buf.strings.get(description)
        if sid is None:
            sid = buf.string(description)
        lid = buf.locations.get(location) if location is not None else 0
        if lid is None:
            lid = buf.location(location)
        try:
            buf.events.append(pack5(HEAD_AWAIT_BEGIN, U64, t1 - buf.last, U32, entry[0], U32,
                                    sid, U32, lid))
            buf.last = t1
        except struct.error:
            buf.append(AWAIT_BEGIN, t1, entry[0], sid, lid)

    def _blocking(self, buf, state, t0, t1, task_id):
        sample = state.sample
        frames = sample[1] if sample is not None and sample[0] == t0 else ()
        state.sample = None
        location = buf.location
        buf.add(BLOCKING, t1, t1 - t0, task_id, [location(f) for f in frames])

    def sample_blocked(self):
        """Called by the watchdog: capture the stack of every loop thread blocked too long."""
        if not self.threshold:
            return
        now = now_ticks()
        frames = None
        for state in list(self.loop_threads.values()):
            since = state.active_since
            if since and now - since >= self.threshold:
                sample = state.sample
                if sample is not None and sample[0] == since:
                    continue
                if frames is None:
                    frames = sys._current_frames()
                frame = frames.get(state.ident)
                if frame is not None and state.active_since == since:
                    state.sample = (since, _sites.stack_locations(frame))
        frames = None


# -- hooks installed on asyncio while tracing --------------------------------------------------

def _stamp_lag_probe(handle):
    """The call_soon hook's part of Recorder._lag: `handle` becomes the probe if this thread
    asked for the next callback it schedules."""
    global _lag_wanted
    rec = recorder
    if rec is None:
        _lag_wanted = False
        return
    state = getattr(rec._tls, "state", None)
    if state is not None and state.lag_arm and handle is not None:
        state.lag_arm = False
        state.lag_probe = _weakref(handle)
        state.lag_probe_ticks = now_ticks()
        state.lag_due = 0  # its run is looked for from now on
        _lag_wanted = False


def _drop_own_frame(stack):
    try:
        if stack[-1].name == "_call_soon_hook":
            del stack[-1]
    except Exception:
        pass


def _call_soon_hook(self, callback, args, context):
    rec = recorder
    if rec is not None:
        kind = _CALLBACK_KIND.get(type(callback))
        if kind is not None:
            try:
                # (a method's name first: most are a future's or a transport's, not a task's)
                task = callback.__self__ if kind == _WRAPPER or callback.__name__ in _STEP_NAMES else None
                if task is not None and (kind == _WRAPPER or isinstance(task, _TASK_TYPES)):
                    entry = rec.tasks.get(id(task))
                    if entry is None or entry[1]() is not task:
                        try:
                            state = rec._tls.state
                        except AttributeError:
                            state = rec.state()
                        rec.created(task, state)
                    elif entry[2]:  # the future it waited for is done: it is woken
                        entry[2] = False
                        try:
                            buf = rec._tls.state.buf
                        except AttributeError:
                            buf = rec.state().buf
                        t = now_ticks()
                        try:
                            buf.events.append(pack3(HEAD_AWAIT_END, U64, t - buf.last, U32,
                                                    entry[0]))
                            buf.last = t
                        except struct.error:
                            buf.append(AWAIT_END, t, entry[0])
            except Exception:
                pass
    handle = _orig_call_soon(self, callback, args, context)
    if handle._source_traceback:
        # Debug mode: the handle's creation stack, which each of asyncio's scheduling methods
        # trims of its own frame, would otherwise end in this hook's.
        _drop_own_frame(handle._source_traceback)
    if _lag_wanted:
        _stamp_lag_probe(handle)
    return handle


class _Raising:
    """Stands in for a handle's context to replay an exception through the original Handle._run,
    so that it is reported exactly as asyncio reports it."""

    __slots__ = ("exc",)

    def __init__(self, exc):
        self.exc = exc

    def run(self, *_):
        raise self.exc


def _report_step_error(handle, exc):
    context = handle._context
    handle._context = _Raising(exc)
    try:
        _orig_run(handle)
    finally:
        handle._context = context


def _completed(buf, events, task, entry, task_id, tasks):
    """The end of a run slice after which the task is done: its completion event, with the
    outcome read without marking the task's exception as retrieved."""
    outcome, message = 0, 0
    try:
        if task.cancelled():
            outcome = 1
        else:
            exc = task._exception
            if exc is not None:
                outcome = 2
                message = buf.string(("%s: %s" % (type(exc).__name__, exc))[:500])
    except Exception:
        pass
    created = entry[3]
    if created is not None:
        # Fill in the name of its task_created event while that block is still open: a finished
        # task is often collected before its block is handed over.
        entry[3] = None
        event, cbuf, generation = created
        if cbuf.generation == generation:
            try:
                cbuf.set_created_name(event, cbuf.string(task.get_name()))
            except Exception:
                pass
    try:
        events.append(pack5(HEAD_COMPLETED, U64, 0, U32, task_id, U32, outcome, U32, message))
    except struct.error:
        buf.append(TASK_COMPLETED, buf.last, task_id, outcome, message)
    tasks.pop(id(task), None)


def _run_hook(self):
    """Handle._run while tracing: times every callback; a task's step or wake-up is a run slice,
    after which the task has completed or is awaiting. Written as one function, with the task
    step inline, because it runs for every callback of every loop (its cost is the agent's)."""
    rec = recorder
    if rec is None:
        return _orig_run(self)
    try:
        state = rec._tls.state
    except AttributeError:
        state = rec.state()
    loop = self._loop
    if state.loop is not loop:
        rec._enter_loop(state, loop)
    callback = self._callback
    kind = _CALLBACK_KIND.get(type(callback))
    if kind == _WRAPPER:
        task = getattr(callback, "__self__", None)
    elif kind is not None:
        # A method: most are a transport's or a future's, told apart by name before anything
        # else is read (a method always has __self__).
        if callback.__name__ in _STEP_NAMES:
            task = callback.__self__
            if not isinstance(task, _TASK_TYPES):
                kind = None
        else:
            kind = None
    if kind is None:
        # Not a task step: timed only, for blocking detection (and now and then for lag).
        t0 = now_ticks()
        if type(self) is _TimerHandle and state.lag_clock:
            late = _monotonic() - self._when
            if late > state.lag_late:
                state.lag_late = late
        if t0 >= state.lag_due:
            rec._lag(state, self, t0)
        state.active_since = t0
        try:
            # What Handle._run does, inline (one frame less on the path of every callback); an
            # error is reported through the original, exactly as asyncio reports it.
            self._context.run(callback, *self._args)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            _report_step_error(self, exc)
        finally:
            t1 = now_ticks()
            state.active_since = 0
            if t1 - t0 >= rec.blocking_ticks:
                rec._blocking(state.buf, state, t0, t1, 0)
        return
    buf = state.buf
    tasks = rec.tasks
    entry = tasks.get(id(task))
    if entry is None or entry[1]() is not task:
        entry = rec.created(task, state, False)  # created before tracing started
        if entry is None:
            state.buf.dropped += 2  # its run_begin and run_end
            return _orig_run(self)
    task_id = entry[0]
    t0 = now_ticks()
    if t0 >= state.lag_due:
        rec._lag(state, self, t0)
    try:
        if entry[2]:  # woken without passing through _call_soon
            entry[2] = False
            buf.events.append(pack3(HEAD_AWAIT_END, U64, t0 - buf.last, U32, task_id))
            buf.last = t0
        buf.events.append(pack3(HEAD_RUN_BEGIN, U64, t0 - buf.last, U32, task_id))
        buf.last = t0
    except struct.error:
        buf.append(TASK_RUN_BEGIN, t0, task_id)
    outer = state.running
    state.running = task_id
    state.active_since = t0
    try:
        # What Handle._run does, inline: a task's step reports its own errors, so the except
        # branch is for the unexpected only.
        self._context.run(callback, *self._args)
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as exc:
        _report_step_error(self, exc)
    finally:
        t1 = now_ticks()
        state.active_since = 0
        state.running = outer
        events = buf.events  # a flush inside the step may have started a new block
        try:
            events.append(pack3(HEAD_RUN_END, U64, t1 - buf.last, U32, task_id))
            buf.last = t1
        except struct.error:
            buf.append(TASK_RUN_END, t1, task_id)
        if t1 - t0 >= rec.blocking_ticks:
            rec._blocking(buf, state, t0, t1, task_id)
        if task.done():
            _completed(buf, events, task, entry, task_id, tasks)
        elif task._fut_waiter is not None:
            rec._await_begin(buf, task, entry, t1)
        if len(events) >= buf.max_events:  # (a quiet block is handed over by the writer thread)
            buf.flush()


class _ExecutorCall:
    """Runs a function given to run_in_executor inside a thread span on the worker thread."""

    __slots__ = ("func", "name", "location")

    def __init__(self, func):
        self.func = func
        self.name, self.location = _sites.function_location(func)

    def __call__(self, *args):
        rec = recorder
        if rec is None:
            return self.func(*args)
        buf = rec.buffer()
        buf.worker = True
        loc = buf.location(self.location)
        buf.add(THREAD_SPAN_BEGIN, now_ticks(), loc, buf.string(self.name))
        try:
            return self.func(*args)
        finally:
            if recorder is rec:
                buf = rec.buffer()
                buf.add(THREAD_SPAN_END, now_ticks(), buf.location(self.location))


def _run_in_executor_hook(self, executor, func, *args):
    rec = recorder
    # Coroutines are left to the loop, whose debug mode refuses them by their type.
    if rec is not None and rec.instrument_executor and callable(func) and \
            not _iscoroutinefunction(func):
        try:
            func = _ExecutorCall(func)
        except Exception:
            pass
    return _orig_run_in_executor(self, executor, func, *args)


def _hooks():
    """(Handle._run, BaseEventLoop._call_soon) as installed while tracing: the native ones when
    weft_asyncio._speedups is in use (_native), else the Python ones above."""
    global _native_hooks
    if _speedups is None:
        return _run_hook, _call_soon_hook
    if _native_hooks is None:
        _speedups.configure(sys.modules[__name__], _sites)
        _native_hooks = (_speedups.Handle_run, _speedups.BaseEventLoop_call_soon)
    return _native_hooks


_native_hooks = None  # (Handle._run, BaseEventLoop._call_soon) from _speedups, once configured


def install(rec):
    global recorder
    if not _STEP_WRAPPER_TYPES:
        _learn_step_wrapper()
    run, call_soon = _hooks()
    recorder = rec
    if _speedups is not None:
        _speedups.set_recorder(rec)
    _base_events.BaseEventLoop._call_soon = call_soon
    _events.Handle._run = run
    _base_events.BaseEventLoop.run_in_executor = _run_in_executor_hook


def uninstall():
    global recorder
    recorder = None
    if _speedups is not None:
        _speedups.set_recorder(None)
    native_run, native_call_soon = _native_hooks or (None, None)
    if _installed(_base_events.BaseEventLoop, "_call_soon", _call_soon_hook, native_call_soon):
        _base_events.BaseEventLoop._call_soon = _orig_call_soon
    if _installed(_events.Handle, "_run", _run_hook, native_run):
        _events.Handle._run = _orig_run
    if _base_events.BaseEventLoop.run_in_executor is _run_in_executor_hook:
        _base_events.BaseEventLoop.run_in_executor = _orig_run_in_executor


def _installed(cls, name, *hooks):
    """Whether cls.name is one of the agent's hooks (None: no hook)."""
    current = cls.__dict__.get(name)
    return current is not None and any(current is hook for hook in hooks)
