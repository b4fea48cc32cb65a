"""A traced program for the live tests: rounds of small tasks until a stop file appears.

argv: STOP_FILE [MAX_SECONDS]. Prints the number of rounds it ran."""

import asyncio
import os
import sys

STOP = sys.argv[1]
LIMIT = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0


async def leaf(i):
    await asyncio.sleep(0.001)
    return i


async def main():
    rounds = 0
    loop = asyncio.get_running_loop()
    deadline = loop.time() + LIMIT
    while not os.path.exists(STOP) and loop.time() < deadline:
        await asyncio.gather(*(leaf(i) for i in range(8)))
        await asyncio.sleep(0.005)
        rounds += 1
    print("rounds", rounds)


asyncio.run(main())
