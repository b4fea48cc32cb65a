"""Ends with an uncaught exception from inside a task, or with sys.exit(N) when given N."""

import asyncio
import sys


async def boom():
    await asyncio.sleep(0)
    raise RuntimeError("crash as requested")


async def main():
    print("before")
    if len(sys.argv) > 1:
        sys.exit(int(sys.argv[1]))
    await asyncio.create_task(boom(), name="boom")


asyncio.run(main())
