"""Round-trips values through py-key-value's CompressionWrapper, for the TypeScript interop tests.

Reads one JSON request on stdin and writes one JSON answer on stdout:
    {"write": [value, ...], "threshold": 1}
        -> {"stored": [what py-key-value stores for each value, ...]}
    {"read": [stored value, ...]}
        -> {"values": [what py-key-value reads back from each, ...]}

tests/unit/wrappers/compression_interop.test.ts runs it with the Python named
by KV_PYTHON (default .cache/pyenv/bin/python); `--fixture` prints the
fixture the test keeps in tests/testdata/compression_interop.json.
"""

import asyncio
import json
import sys

from key_value.aio.stores.simple import SimpleStore
from key_value.aio.wrappers.compression import CompressionWrapper

FIXTURE_VALUES = [
    {"text": "hello world " * 200},
    {"unicode": "Hello 世界 🌍 émojis " * 100, "nested": {"list": [1, 2.5, None, True]}},
    {"small": 1},
]


async def write(values, threshold):
    inner = SimpleStore()
    wrapper = CompressionWrapper(inner, min_size_to_compress=threshold)
    for i, value in enumerate(values):
        await wrapper.put(key=f"k{i}", value=value)
    return [await inner.get(key=f"k{i}") for i in range(len(values))]


async def read(stored):
    inner = SimpleStore()
    wrapper = CompressionWrapper(inner)
    for i, value in enumerate(stored):
        await inner.put(key=f"k{i}", value=value)
    return [await wrapper.get(key=f"k{i}") for i in range(len(stored))]


async def main():
    if sys.argv[1:] == ["--fixture"]:
        stored = await write(FIXTURE_VALUES, 1024)
        print(json.dumps({"values": FIXTURE_VALUES, "stored": stored}, indent=2, ensure_ascii=False))
        return
    request = json.load(sys.stdin)
    if "write" in request:
        answer = {"stored": await write(request["write"], request.get("threshold", 1024))}
    else:
        answer = {"values": await read(request["read"])}
    json.dump(answer, sys.stdout)


asyncio.run(main())
