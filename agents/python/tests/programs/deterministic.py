"""An asyncio program whose events come in the same order every run: no timers, no threads."""

import asyncio


async def leaf(i):
    await asyncio.sleep(0)
    if i == 3:
        raise ValueError("three")
    return i


async def waiter(fut):
    return await fut


async def main():
    results = await asyncio.gather(*(leaf(i) for i in range(6)), return_exceptions=True)
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    woken = asyncio.create_task(waiter(fut), name="waiter")
    await asyncio.sleep(0)
    fut.set_result(5)
    await woken
    victim = asyncio.create_task(waiter(loop.create_future()), name="victim")
    await asyncio.sleep(0)
    victim.cancel()
    try:
        await victim
    except asyncio.CancelledError:
        pass
    queue = asyncio.Queue(maxsize=2)

    async def produce():
        for i in range(6):
            await queue.put(i)

    async def consume():
        return sum([await queue.get() for _ in range(6)])

    _, total = await asyncio.gather(produce(), consume())
    total += await asyncio.create_task(leaf(7))  # an await on a task with the default name
    print([r if isinstance(r, int) else type(r).__name__ for r in results], woken.result(), total)


asyncio.run(main())
