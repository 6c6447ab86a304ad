"""What the tests on a live Elasticsearch node share: the node's address (ELASTICSEARCH_URL,
else they skip), a fresh index prefix per test so runs never meet, and cleaning it up."""

import itertools
import os

import pytest
from elasticsearch import Elasticsearch

URL = os.environ.get("ELASTICSEARCH_URL", "")
needs_node = pytest.mark.skipif(
    not URL,
    reason="no Elasticsearch node: set ELASTICSEARCH_URL=http://127.0.0.1:9200 and run "
    "`make elasticsearch`",
)
_numbers = itertools.count(1)


def unique_prefix() -> str:
    """`thutuc-test-<pid>-<n>`: what one test creates, and nothing else, under one name."""
    return f"thutuc-test-{os.getpid()}-{next(_numbers)}"


def client(url: str = URL) -> Elasticsearch:
    return Elasticsearch(url, request_timeout=10)


def indices_of(es: Elasticsearch, prefix: str) -> dict[str, set[str]]:
    """Every index named under `prefix`, with its aliases."""
    response = es.indices.get_alias(index=f"{prefix}-*", ignore_unavailable=True)
    return {name: set(info.get("aliases", {})) for name, info in response.body.items()}


def delete_prefix(es: Elasticsearch, prefix: str) -> None:
    """Delete the indices under `prefix` by name (the node refuses wildcard deletions)."""
    names = sorted(indices_of(es, prefix))
    if names:
        es.indices.delete(index=",".join(names), ignore_unavailable=True)
