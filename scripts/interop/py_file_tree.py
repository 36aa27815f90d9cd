"""py-key-value's FileTreeStore side of @kv/core's file-tree interop test.

Usage:
  python py_file_tree.py write DIR          writes the entries below with V1 names
  python py_file_tree.py read DIR SPEC      SPEC: JSON [[key, collection], ...];
                                            prints JSON [[value, ttl], ...]

Both use py-key-value's FileTreeV1 sanitization strategies, as the
TypeScript side does, so both libraries name files the same way.
"""

import asyncio
import json
import sys
from pathlib import Path

from key_value.aio.stores.filetree import (
    FileTreeStore,
    FileTreeV1CollectionSanitizationStrategy,
    FileTreeV1KeySanitizationStrategy,
)

# key, value, collection, ttl (seconds or None)
ENTRIES = [
    ("user:1", {"name": "Ada", "tags": ["a", "b"]}, "test::coll", None),
    ("plain", {"n": 1, "nested": {"x": None}}, "users", 3600),
    ("ключ", {"u": "é 🌍"}, "users", None),
    ("flash", {"gone": True}, "users", 0.001),
    # py-key-value sanitizes keys without validating them: these keep their names.
    ("S_raw_key", {"prefix": "S_"}, "users", None),
    ("H_raw", {"prefix": "H_"}, "users", None),
    ("with space", {"sanitized": True}, "users", None),
]


def open_store(directory: str) -> FileTreeStore:
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)  # the V1 strategies read its limits
    return FileTreeStore(
        data_directory=path,
        key_sanitization_strategy=FileTreeV1KeySanitizationStrategy(directory=path),
        collection_sanitization_strategy=FileTreeV1CollectionSanitizationStrategy(directory=path),
    )


async def main() -> None:
    command, directory = sys.argv[1], sys.argv[2]
    store = open_store(directory)
    if command == "write":
        for key, value, collection, ttl in ENTRIES:
            await store.put(key=key, value=value, collection=collection, ttl=ttl)
        print(json.dumps({"written": len(ENTRIES)}))
    elif command == "read":
        out = []
        for key, collection in json.loads(sys.argv[3]):
            value, ttl = await store.ttl(key=key, collection=collection)
            out.append([value, ttl])
        print(json.dumps(out))
    else:
        raise SystemExit(f"unknown command {command!r}")


asyncio.run(main())
