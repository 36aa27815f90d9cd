"""Round trips between py-key-value and @kv/core on a shared MongoDB, Elasticsearch or DynamoDB.

The interop tests (tests/integration/{mongodb,elasticsearch,dynamodb}_interop.test.ts) run
this with the Python of .cache/pyenv (scripts/py_env.sh), which has py-key-value-aio 0.5.0
with its mongodb, elasticsearch and dynamodb extras:

    python py_mongodb_elasticsearch_dynamodb_roundtrip.py BACKEND URL NAMESPACE [v1] write < entries.json
    python py_mongodb_elasticsearch_dynamodb_roundtrip.py BACKEND URL NAMESPACE [v1] read < keys.json
    python py_mongodb_elasticsearch_dynamodb_roundtrip.py BACKEND URL NAMESPACE read at=MS < keys.json

BACKEND, URL and NAMESPACE:
    mongodb        mongodb:// URL, database name
    elasticsearch  http:// URL, index prefix (Elastic's integ-test build answers GET / with
                   405, and py-key-value's setup calls info() only to detect serverless:
                   this script answers info() itself with a non-serverless cluster)
    dynamodb       DynamoDB Local endpoint URL, table name (dummy credentials, us-east-1)

py-key-value's MongoDBStore cannot create a collection on FerretDB (it always adds a TTL
index, which FerretDB refuses), so the caller creates the collections first.

v1: use py-key-value's V1 sanitization strategies (MongoDB collections; Elasticsearch
collections and keys), as its own tests do.

write: stdin is [{"collection", "key", "value", "ttl"?}, ...]; each entry is put with
py-key-value, then read back. read: stdin is [{"collection", "key"}, ...]; with at=MS the
reads start once the system clock reaches MS (epoch milliseconds), after the store is set up.
Both print [{"collection", "key", "value", "ttl"}, ...] as py-key-value reads them
(value and ttl null when missing or without expiry).
"""

import asyncio
import json
import sys
import time


def make_store(backend: str, url: str, namespace: str, v1: bool):
    if backend == "mongodb":
        from key_value.aio.stores.mongodb import MongoDBStore
        from key_value.aio.stores.mongodb.store import MongoDBV1CollectionSanitizationStrategy

        strategy = MongoDBV1CollectionSanitizationStrategy() if v1 else None
        return MongoDBStore(url=url, db_name=namespace, collection_sanitization_strategy=strategy)
    if backend == "elasticsearch":
        from elasticsearch import AsyncElasticsearch
        from key_value.aio.stores.elasticsearch import ElasticsearchStore
        from key_value.aio.stores.elasticsearch.store import (
            ElasticsearchV1CollectionSanitizationStrategy,
            ElasticsearchV1KeySanitizationStrategy,
        )

        async def info(self, *args, **kwargs):
            return {"version": {"build_flavor": "default"}}

        AsyncElasticsearch.info = info
        return ElasticsearchStore(
            url=url,
            index_prefix=namespace,
            collection_sanitization_strategy=ElasticsearchV1CollectionSanitizationStrategy() if v1 else None,
            key_sanitization_strategy=ElasticsearchV1KeySanitizationStrategy() if v1 else None,
        )
    if backend == "dynamodb":
        from key_value.aio.stores.dynamodb import DynamoDBStore

        return DynamoDBStore(
            table_name=namespace,
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
    raise SystemExit(f"unknown backend {backend!r}")


async def main() -> None:
    args = sys.argv[1:]
    v1 = "v1" in args
    at = next((float(arg[3:]) for arg in args if arg.startswith("at=")), None)
    args = [arg for arg in args if arg != "v1" and not arg.startswith("at=")]
    backend, url, namespace, command = args
    items = json.load(sys.stdin)
    store = make_store(backend, url, namespace, v1)
    async with store:
        if command == "write":
            for item in items:
                await store.put(item["key"], item["value"], collection=item["collection"], ttl=item.get("ttl"))
        elif command != "read":
            raise SystemExit(f"unknown command {command!r}")
        if at is not None:
            await store.get("setup", collection="setup")  # connect and set up first
            await asyncio.sleep(max(0.0, at / 1000 - time.time()))
        out = []
        for item in items:
            value, ttl = await store.ttl(item["key"], collection=item["collection"])
            out.append({"collection": item["collection"], "key": item["key"], "value": value, "ttl": ttl})
    json.dump(out, sys.stdout)


asyncio.run(main())
