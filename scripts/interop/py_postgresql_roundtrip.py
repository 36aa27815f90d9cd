"""Round trips between py-key-value's PostgreSQLStore and @kv/core's PostgresStore on one table.

tests/integration/postgres_interop.test.ts runs this with the Python of .cache/pyenv
(scripts/py_env.sh), which has py-key-value-aio 0.5.0 with its postgresql extra (asyncpg):

    python py_postgresql_roundtrip.py URL TABLE write < entries.json
    python py_postgresql_roundtrip.py URL TABLE read < keys.json
    python py_postgresql_roundtrip.py URL TABLE collections < /dev/null

write: stdin is [{"collection", "key", "value", "ttl"?}, ...]; each entry is put with
py-key-value, then read back. read: stdin is [{"collection", "key"}, ...]. Both print
[{"collection", "key", "value", "ttl"}, ...] as py-key-value reads them (value and ttl null
when missing or without expiry). collections prints py-key-value's collections() list.
"""

import asyncio
import json
import sys

from key_value.aio.stores.postgresql import PostgreSQLStore


async def main() -> None:
    url, table, command = sys.argv[1:]
    items = json.load(sys.stdin) if command != "collections" else []
    async with PostgreSQLStore(url=url, table_name=table) as store:
        if command == "collections":
            json.dump(await store.collections(), sys.stdout)
            return
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
