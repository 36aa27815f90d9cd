"""Writes tests/testdata/sanitization_vectors.json from py-key-value itself.

Run with a Python that has py-key-value-aio installed:
    python scripts/interop/sanitization_vectors.py > tests/testdata/sanitization_vectors.json
The TypeScript tests check that our strategies give the same names.
"""

import json
import sys

from key_value.aio._utils.sanitization import (
    AlwaysHashStrategy,
    HashExcessLengthStrategy,
    HashFragmentMode,
    HybridSanitizationStrategy,
)
from key_value.aio._utils.sanitize import hash_excess_length
from key_value.aio.stores.elasticsearch.store import (
    ElasticsearchV1CollectionSanitizationStrategy,
    ElasticsearchV1KeySanitizationStrategy,
)
from key_value.aio.stores.memcached.store import MemcachedV1KeySanitizationStrategy
from key_value.aio.stores.mongodb.store import MongoDBV1CollectionSanitizationStrategy

INPUTS = [
    "test",
    "test_collection",
    "test_collection!@#$%^&*()",
    "test::key",
    "test_key!@#$%^&*()",
    "test_collection" * 100,
    "test_key" * 100,
    "Hello 世界 🌍 émojis",
    "🌍" * 130,
    "a" * 199,
    "a" * 200,
    "a" * 201,
    "a" * 240,
    "a" * 241,
    "!!!",
    "!",
    "a!",
    "Mixed-Case.Name_1",
    "with space",
    "dots.and-dashes",
]

strategies = {
    "always_hash_64": AlwaysHashStrategy(),
    "always_hash_12": AlwaysHashStrategy(hash_length=12),
    "hash_excess_240": HashExcessLengthStrategy(),
    "hash_excess_20": HashExcessLengthStrategy(max_length=20),
    "hybrid_default": HybridSanitizationStrategy(),
    "hybrid_alnum_40": HybridSanitizationStrategy(max_length=40, allowed_characters="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
    "hybrid_always_30": HybridSanitizationStrategy(max_length=30, allowed_characters="abcdefghijklmnopqrstuvwxyz", hash_fragment_mode=HashFragmentMode.ALWAYS),
    "hybrid_never_30": HybridSanitizationStrategy(max_length=30, allowed_characters="abcdefghijklmnopqrstuvwxyz", hash_fragment_mode=HashFragmentMode.NEVER),
    "mongodb_v1_collection": MongoDBV1CollectionSanitizationStrategy(),
    "elasticsearch_v1_key": ElasticsearchV1KeySanitizationStrategy(),
    "elasticsearch_v1_collection": ElasticsearchV1CollectionSanitizationStrategy(),
    "memcached_v1_key": MemcachedV1KeySanitizationStrategy(),
}

out = {"strategies": {}, "hash_excess_length": []}
for name, strategy in strategies.items():
    out["strategies"][name] = [[value, strategy.sanitize(value)] for value in INPUTS]
for value in INPUTS:
    for max_length, as_bytes in ((16, False), (40, False), (40, True), (250, True)):
        out["hash_excess_length"].append([value, max_length, as_bytes, hash_excess_length(value, max_length, length_is_bytes=as_bytes)])
json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
sys.stdout.write("\n")
