"""Round trips between py-key-value and @kv/core on a shared Redis, Valkey or memcached.

The interop tests (tests/integration/*_interop.test.ts) run this with the Python of
.cache/pyenv (scripts/py_env.sh), which has py-key-value-aio with its redis, valkey
and memcached extras:

    python py_redis_memcached_roundtrip.py BACKEND TARGET write < entries.json
    python py_redis_memcached_roundtrip.py BACKEND TARGET read < keys.json

BACKEND and TARGET:
    redis      a redis:// URL (with /db)
    valkey     host:port/db   (py-key-value's ValkeyStore uses valkey-glide)
    memcached  host:port      (with py-key-value's MemcachedV1KeySanitizationStrategy)

write: stdin is [{"collection", "key", "value", "ttl"?}, ...]; each entry is put with
py-key-value, then read back. read: stdin is [{"collection", "key"}, ...].
Both print [{"collection", "key", "value", "ttl"}, ...] as py-key-value reads them
(value and ttl null when missing or without expiry).
"""

import asyncio
import json
import sys


def make_store(backend: str, target: str):
    if backend == "redis":
        from key_value.aio.stores.redis import RedisStore

        return RedisStore(url=target)
    if backend == "valkey":
        from key_value.aio.stores.valkey import ValkeyStore

        address, _, db = target.partition("/")
        host, _, port = address.rpartition(":")
        return ValkeyStore(host=host, port=int(port), db=int(db or 0))
    if backend == "memcached":
        from key_value.aio.stores.memcached import MemcachedStore
        from key_value.aio.stores.memcached.store import MemcachedV1KeySanitizationStrategy

        host, _, port = target.rpartition(":")
        return MemcachedStore(
            host=host, port=int(port), key_sanitization_strategy=MemcachedV1KeySanitizationStrategy()
        )
    raise SystemExit(f"unknown backend {backend!r}")


async def main() -> None:
    backend, target, command = sys.argv[1:4]
    items = json.load(sys.stdin)
    store = make_store(backend, target)
    async with store:
        if command == "write":
            for item in items:
                await store.put(item["key"], item["value"], collection=item["collection"], ttl=item.get("ttl"))
        elif command != "read":
            raise SystemExit(f"unknown command {command!r}")
        out = []
        for item in items:
            value, ttl = await store.ttl(item["key"], collection=item["collection"])
            out.append({"collection": item["collection"], "key": item["key"], "value": value, "ttl": ttl})
    json.dump(out, sys.stdout)


asyncio.run(main())
