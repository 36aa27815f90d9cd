"""Round-trips values through py-key-value's FernetEncryptionWrapper, for the TypeScript interop tests.

Needs py-key-value-aio[wrappers-encryption] (the `cryptography` package).
Reads one JSON request on stdin and writes one JSON answer on stdout; a
request names its keys as Fernet key strings ("keys") or as py-key-value's
derivation inputs ("source_material" and "salt"):
    {"keys": [...], "write": [value, ...]}   -> {"stored": [stored form, ...]}
    {"keys": [...], "read": [stored, ...]}   -> {"values": [value or {"error": class name}, ...]}
    {"derive": [[source_material, salt], ...]} -> {"keys": [fernet key, ...]}

`--fixture` prints tests/testdata/fernet_interop.json.
"""

import asyncio
import json
import sys

from cryptography.fernet import Fernet, MultiFernet
from key_value.aio.stores.simple import SimpleStore
from key_value.aio.wrappers.encryption import FernetEncryptionWrapper
from key_value.aio.wrappers.encryption.fernet import _generate_encryption_key

FIXTURE_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="
FIXTURE_VALUES = [
    {"secret": "s3cr3t", "n": 42},
    {"unicode": "Hello 世界 🌍 émojis", "nested": {"list": [1, 2.5, None, True]}},
    {},
]


def wrapper_for(request, inner):
    if "source_material" in request:
        return FernetEncryptionWrapper(inner, source_material=request["source_material"], salt=request["salt"])
    fernet = MultiFernet([Fernet(key) for key in request["keys"]])
    return FernetEncryptionWrapper(inner, fernet=fernet)


async def write(request):
    inner = SimpleStore()
    wrapper = wrapper_for(request, inner)
    values = request["write"]
    for i, value in enumerate(values):
        await wrapper.put(key=f"k{i}", value=value)
    return [await inner.get(key=f"k{i}") for i in range(len(values))]


async def read(request):
    inner = SimpleStore()
    wrapper = wrapper_for(request, inner)
    out = []
    for i, stored in enumerate(request["read"]):
        await inner.put(key=f"k{i}", value=stored)
        try:
            out.append(await wrapper.get(key=f"k{i}"))
        except Exception as error:  # noqa: BLE001 - the test compares the class name
            out.append({"error": type(error).__name__})
    return out


async def main():
    if sys.argv[1:] == ["--fixture"]:
        derived = _generate_encryption_key(source_material="test-source-material", salt="test-salt").decode()
        stored = await write({"keys": [FIXTURE_KEY], "write": FIXTURE_VALUES})
        derived_stored = await write(
            {"source_material": "test-source-material", "salt": "test-salt", "write": FIXTURE_VALUES[:1]}
        )
        fixture = {
            "key": FIXTURE_KEY,
            "values": FIXTURE_VALUES,
            "stored": stored,
            "derivation": {
                "source_material": "test-source-material",
                "salt": "test-salt",
                "key": derived,
                "stored": derived_stored,
            },
        }
        print(json.dumps(fixture, indent=2, ensure_ascii=False))
        return
    request = json.load(sys.stdin)
    if "derive" in request:
        keys = [_generate_encryption_key(source_material=m, salt=s).decode() for m, s in request["derive"]]
        answer = {"keys": keys}
    elif "write" in request:
        answer = {"stored": await write(request)}
    else:
        answer = {"values": await read(request)}
    json.dump(answer, sys.stdout)


asyncio.run(main())
