"""Uses the in-process API: start/stop, tracing(), WEFT_OUTPUT, the task bound, a Python Task
factory. Prints what it checks; the test compares and reads the traces it writes."""

import asyncio
import asyncio.base_events
import asyncio.events
import os
import sys

ORIGINAL = (asyncio.events.Handle._run, asyncio.base_events.BaseEventLoop._call_soon,
            asyncio.base_events.BaseEventLoop.run_in_executor)


def patched():
    now = (asyncio.events.Handle._run, asyncio.base_events.BaseEventLoop._call_soon,
           asyncio.base_events.BaseEventLoop.run_in_executor)
    return [a is not b for a, b in zip(now, ORIGINAL)]


import weft_asyncio  # noqa: E402

out_dir = sys.argv[1]
print("after import:", patched(), weft_asyncio.is_tracing())


async def sleeper(i):
    await asyncio.sleep(0.01)
    return i


async def many(n):
    return sum(await asyncio.gather(*(sleeper(i) for i in range(n))))


async def with_py_tasks():
    loop = asyncio.get_running_loop()
    loop.set_task_factory(lambda lp, coro, **kw: asyncio.tasks._PyTask(coro, loop=lp, **kw))
    t = asyncio.create_task(sleeper(7), name="py-task")
    print("py task:", type(t) is asyncio.tasks._PyTask, await t, t.get_name())


path = weft_asyncio.start(os.path.join(out_dir, "started.weft"), lag_interval_ms=0)
print("started:", patched(), weft_asyncio.is_tracing())
try:
    weft_asyncio.start(os.path.join(out_dir, "again.weft"))
except RuntimeError:
    print("second start refused")
print("result:", asyncio.run(many(10)))
print("stats:", weft_asyncio.stats()["tasks_in_flight"])
print("stopped:", os.path.basename(weft_asyncio.stop()), patched(), weft_asyncio.is_tracing())
print("stop again:", weft_asyncio.stop())

os.environ["WEFT_OUTPUT"] = os.path.join(out_dir, "from_env.weft")
with weft_asyncio.tracing(max_tasks=5) as session:
    print("bounded:", asyncio.run(many(50)), os.path.basename(session.path))
print("after tracing():", patched())

with weft_asyncio.tracing(os.path.join(out_dir, "pytask.weft")):
    asyncio.run(with_py_tasks())

with weft_asyncio.span("not tracing"), weft_asyncio.thread_span("not tracing"):
    print("spans without tracing are no-ops")
