"""A traced asyncio program for the live tests: rounds of small concurrent tasks for a while.

argv: SECONDS [FANOUT]. Prints the number of tasks it ran."""

import asyncio
import sys

SECONDS = float(sys.argv[1])
FANOUT = int(sys.argv[2]) if len(sys.argv) > 2 else 50


async def leaf(i):
    await asyncio.sleep(0)
    return i


async def main():
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SECONDS
    tasks = 0
    while loop.time() < deadline:
        await asyncio.gather(*(leaf(i) for i in range(FANOUT)))
        tasks += FANOUT
        await asyncio.sleep(0.001)
    print("tasks", tasks)


asyncio.run(main())
