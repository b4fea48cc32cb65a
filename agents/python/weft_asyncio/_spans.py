"""Async spans (begin and end may be on different threads) and thread spans (nested, one thread)."""

import contextvars
import itertools

from . import _agent, _sites
from ._writer import (ASYNC_SPAN_BEGIN, ASYNC_SPAN_END, THREAD_SPAN_BEGIN, THREAD_SPAN_END,
                      now_ticks)

_span_ids = itertools.count(1)
_current_span = contextvars.ContextVar("weft_asyncio_span", default=0)


class span:
    """``async with weft_asyncio.span("name"):`` records an async span (plain ``with`` works too).

    Spans nest through a context variable, so a span opened in a task is the parent of the spans
    opened by the tasks it creates. Costs one global read when tracing is off.
    """

    __slots__ = ("name", "span_id", "_token", "_recorder")

    def __init__(self, name):
        self.name = str(name)
        self.span_id = 0
        self._token = None
        self._recorder = None

    def _begin(self):
        rec = _agent.recorder
        if rec is None:
            return self
        try:
            buf = rec.buffer()
            self.span_id = next(_span_ids)
            parent = _current_span.get()
            self._token = _current_span.set(self.span_id)
            self._recorder = rec
            buf.add(ASYNC_SPAN_BEGIN, now_ticks(), self.span_id, parent,
                     buf.location(_sites.caller_location(3)), buf.string(self.name))
        except Exception:
            pass
        return self

    def _end(self):
        rec = self._recorder
        if rec is None:
            return
        self._recorder = None
        try:
            if self._token is not None:
                _current_span.reset(self._token)
        except ValueError:
            pass  # ended in another context: the variable is that context's business
        if _agent.recorder is rec:
            try:
                rec.buffer().add(ASYNC_SPAN_END, now_ticks(), self.span_id)
            except Exception:
                pass

    async def __aenter__(self):
        return self._begin()

    async def __aexit__(self, *exc):
        self._end()
        return False

    def __enter__(self):
        return self._begin()

    def __exit__(self, *exc):
        self._end()
        return False


class thread_span:
    """``with weft_asyncio.thread_span("name"):`` records a synchronous scope on this thread."""

    __slots__ = ("name", "_location", "_recorder")

    def __init__(self, name):
        self.name = str(name)
        self._location = None
        self._recorder = None

    def __enter__(self):
        rec = _agent.recorder
        if rec is None:
            return self
        try:
            buf = rec.buffer()
            self._location = _sites.caller_location(2)
            self._recorder = rec
            buf.add(THREAD_SPAN_BEGIN, now_ticks(), buf.location(self._location),
                     buf.string(self.name))
        except Exception:
            pass
        return self

    def __exit__(self, *exc):
        rec = self._recorder
        if rec is not None and _agent.recorder is rec:
            self._recorder = None
            try:
                buf = rec.buffer()
                buf.add(THREAD_SPAN_END, now_ticks(), buf.location(self._location))
            except Exception:
                pass
        return False

    def __call__(self, func):
        """Use as a decorator: every call of `func` is a thread span."""
        import functools
        name = self.name

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with thread_span(name):
                return func(*args, **kwargs)
        return wrapper
