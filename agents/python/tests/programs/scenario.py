"""An asyncio program exercising what the agent records; its output is deterministic."""

import asyncio
import sys
import time

try:  # spans are optional: the program must also run where the agent is not importable
    import weft_asyncio
except ImportError:
    weft_asyncio = None


class _NoSpan:
    def __init__(self, *_):
        pass

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


span = weft_asyncio.span if weft_asyncio else _NoSpan
thread_span = weft_asyncio.thread_span if weft_asyncio else _NoSpan


async def leaf(i):
    await asyncio.sleep(0.001 * i)
    return i * i


async def middle(n):
    async with span("middle"):
        return sum(await asyncio.gather(*(leaf(i) for i in range(n))))


async def failing():
    await asyncio.sleep(0.001)
    raise ValueError("scenario failure")


async def forever():
    await asyncio.Event().wait()


async def producer(queue, n):
    for i in range(n):
        await queue.put(i)
    await queue.put(None)


async def consumer(queue):
    total = 0
    while (item := await queue.get()) is not None:
        total += item
    return total


async def heartbeat(stop):
    # Keeps a timer pending, as a server's other work would: it runs late while the loop is
    # blocked, which is what the loop lag measures.
    while not stop.is_set():
        await asyncio.sleep(0.02)


def blocking_work(x):
    with thread_span("blocking_work"):
        time.sleep(0.02)
        return x + 1


async def main():
    me = asyncio.current_task()
    print("main task:", me.get_name())
    async with span("outer"):
        named = asyncio.create_task(middle(5), name="middle-5")
        print("named:", named.get_name(), await named)

        async with asyncio.TaskGroup() as group:
            t1 = group.create_task(leaf(3), name="tg-leaf-3")
            t2 = group.create_task(middle(3))
        print("taskgroup:", t1.result(), t2.result())

        try:
            await asyncio.wait_for(forever(), timeout=0.05)
        except (asyncio.TimeoutError, TimeoutError):
            print("wait_for timed out")

        victim = asyncio.create_task(forever(), name="victim")
        await asyncio.sleep(0.01)
        victim.cancel()
        try:
            await victim
        except asyncio.CancelledError:
            print("victim cancelled:", victim.cancelled())

        bad = asyncio.create_task(failing(), name="bad")
        try:
            await bad
        except ValueError as exc:
            print("bad raised:", exc)

        queue = asyncio.Queue(maxsize=2)
        _, total = await asyncio.gather(producer(queue, 20), consumer(queue))
        print("queue total:", total)

        print("to_thread:", await asyncio.to_thread(blocking_work, 41))

        stop = asyncio.Event()
        beat = asyncio.create_task(heartbeat(stop), name="heartbeat")
        await asyncio.sleep(0.05)
        await asyncio.sleep(0)  # lets the heartbeat's step run: its next timer is pending
        with thread_span("loop-blocking"):
            time.sleep(0.3)  # blocks the event loop: a blocking event and a lag spike
        await asyncio.sleep(0.15)
        stop.set()
        await beat

    print("same task:", asyncio.current_task() is me, me.get_name())
    return 0


if __name__ == "__main__":
    code = asyncio.run(main())
    print("args:", sys.argv[1:])
    sys.exit(code)
