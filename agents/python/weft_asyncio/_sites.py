"""Code locations: where a task was created, where it awaits, what a blocked thread was doing.

Frames inside asyncio, the agent itself and a few runner modules are "internal": the location the
user wants is the first frame outside them. Decisions are cached per code object, so the common
case costs a dict lookup per frame. The caches are keyed by the code object's id, not the object:
a code object's hash is computed afresh each time from its bytecode, names and constants, which
costs more than the rest of recording an event. Each value keeps its code object, so the id is
not reused while cached.
"""

import asyncio
import os
import sys
import types

_AGENT_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_INTERNAL_DIRS = (os.path.dirname(os.path.abspath(asyncio.__file__)) + os.sep, _AGENT_DIR)
_INTERNAL_FILES = ("<frozen runpy>", "<frozen importlib._bootstrap>")
_internal_cache = {}  # id(code) -> (code, internal?)
_location_cache = {}
_lasti_cache = {}  # (id(code), f_lasti) -> (code, location): frame_location() without f_lineno
_descriptions = {}  # id(code) -> (code, what awaiting in that internal coroutine is called)
_HAS_QUALNAME = hasattr((lambda: 0).__code__, "co_qualname")
_CoroutineType = types.CoroutineType


def is_internal(code):
    hit = _internal_cache.get(id(code))
    if hit is not None and hit[0] is code:
        return hit[1]
    name = code.co_filename
    flag = name.startswith(_INTERNAL_DIRS) or name in _INTERNAL_FILES
    if len(_internal_cache) > 50000:
        _internal_cache.clear()
    _internal_cache[id(code)] = (code, flag)
    return flag


def code_name(code):
    return code.co_qualname if _HAS_QUALNAME else code.co_name


def frame_location(frame, line=None):
    """(name, target, file, line) of `frame`: function, module, file, line."""
    code = frame.f_code
    if line is None:
        line = frame.f_lineno or 0
    key = (code, line)
    loc = _location_cache.get(key)
    if loc is None:
        module = frame.f_globals.get("__name__", "") if frame.f_globals else ""
        loc = (code_name(code), str(module or ""), code.co_filename, int(line))
        if len(_location_cache) > 100000:
            _location_cache.clear()
        _location_cache[key] = loc
    return loc


def _remember_lasti(key, frame):
    """The location of `frame`, cached under key = (id(code), f_lasti): the hot paths look a frame
    up by its instruction offset, because reading f_lineno maps the offset to a line each time."""
    loc = frame_location(frame)
    if len(_lasti_cache) > 100000:
        _lasti_cache.clear()
    _lasti_cache[key] = (frame.f_code, loc)
    return loc


def _lasti_location(code, frame):
    """The location of `frame`, running `code`, through _lasti_cache."""
    key = (id(code), frame.f_lasti)
    hit = _lasti_cache.get(key)
    if hit is not None and hit[0] is code:
        return hit[1]
    return _remember_lasti(key, frame)


def caller_location(depth=2, _getframe=sys._getframe):
    """The location of the first frame outside the internal modules, from `depth` up."""
    try:
        frame = _getframe(depth)
    except ValueError:
        return None
    internal = _internal_cache
    while frame is not None:
        code = frame.f_code
        hit = internal.get(id(code))
        if hit is not None and hit[0] is code:
            flag = hit[1]
        else:
            flag = is_internal(code)
        if flag:
            frame = frame.f_back
            continue
        return _lasti_location(code, frame)
    return None


def function_location(func):
    """The definition site of a function (or of what a partial wraps)."""
    inner = func
    for _ in range(4):
        args = getattr(inner, "args", None)
        if hasattr(inner, "func"):  # functools.partial, e.g. partial(ctx.run, user_func)
            target = inner.func
            if getattr(target, "__name__", "") == "run" and args:
                target = args[0]
            inner = target
        else:
            break
    inner = getattr(inner, "__func__", inner)
    code = getattr(inner, "__code__", None)
    name = getattr(inner, "__qualname__", None) or getattr(inner, "__name__", None) \
        or type(inner).__name__
    if code is None:
        return name, None
    module = getattr(inner, "__module__", "") or ""
    return name, (code_name(code), module, code.co_filename, code.co_firstlineno)


def stack_locations(frame, limit=48):
    """Locations of a frame and its callers, innermost first, without the agent's own frames
    (nor the runner's, when the program was started by ``python -m weft_asyncio``)."""
    out = []
    while frame is not None and len(out) < limit:
        name = frame.f_code.co_filename
        if not name.startswith(_AGENT_DIR) and name not in _INTERNAL_FILES:
            out.append(frame_location(frame))
        frame = frame.f_back
    return out


def _internal_description(code):
    """What awaiting in an internal coroutine is called: its name ("sleep", "Queue.get")."""
    hit = _descriptions.get(id(code))
    if hit is not None and hit[0] is code:
        return hit[1]
    description = code_name(code)
    if description == "__sleep0":
        description = "sleep"
    if len(_descriptions) > 50000:
        _descriptions.clear()
    _descriptions[id(code)] = (code, description)
    return description


def await_site(coro):
    """What a suspended coroutine chain waits on and where, as (description, location).

    The description is the qualname of the outermost internal coroutine in the chain (e.g.
    'sleep', 'Queue.get', 'wait_for'); the location is the innermost user frame above it.
    Native coroutines, the common case, are read through cr_code (which creates no frame object)
    and cr_frame only for user code; generator-based ones take the general path.
    """
    location = None
    internal = _internal_cache
    lasti_cache = _lasti_cache
    for _ in range(64):
        if type(coro) is _CoroutineType:
            code = coro.cr_code
            frame = None
            nxt = coro.cr_await
        else:
            frame = getattr(coro, "gi_frame", None)
            if frame is None:
                break  # a future, a task, or a finished generator: the end of the chain
            code = frame.f_code
            nxt = getattr(coro, "gi_yieldfrom", None)
        hit = internal.get(id(code))
        if hit is not None and hit[0] is code:
            flag = hit[1]
        else:
            flag = is_internal(code)
        if flag:
            return _internal_description(code), location
        if frame is None:
            frame = coro.cr_frame
            if frame is None:
                break
        key = (id(code), frame.f_lasti)
        hit = lasti_cache.get(key)
        if hit is not None and hit[0] is code:
            location = hit[1]
        else:
            location = _remember_lasti(key, frame)
        if nxt is None:
            break
        coro = nxt
    return None, location
