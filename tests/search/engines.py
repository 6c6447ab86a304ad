"""The backends the shared search suites run on: the database always, Elasticsearch too when
ELASTICSEARCH_URL points at a cluster (`make elasticsearch` starts one)."""

import os
from urllib.parse import urlsplit

from search.backends.base import SearchBackend
from search.backends.database import DatabaseBackend

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# Under the installation's prefix (CI sets thutuc-ci), never its live indices.
TEST_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "thutuc") + "-test"
HOW_TO_START = (
    "Elasticsearch suites skipped: run `make elasticsearch` and set "
    "ELASTICSEARCH_URL=http://127.0.0.1:9200"
)

BACKENDS = ["database", "elasticsearch"] if ELASTICSEARCH_URL else ["database"]


def make_backend(name: str) -> SearchBackend:
    if name == "database":
        return DatabaseBackend()
    from search.backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(ELASTICSEARCH_URL, prefix=TEST_PREFIX)


def public_url(url: str) -> str:
    """The URL without its user and password, for logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return parts._replace(netloc=netloc).geturl()


def node_description() -> str:
    """Which cluster the Elasticsearch suites use and its version, or how to start one."""
    if not ELASTICSEARCH_URL:
        return HOW_TO_START
    from elasticsearch import Elasticsearch

    where = public_url(ELASTICSEARCH_URL)
    client = Elasticsearch(ELASTICSEARCH_URL, request_timeout=5, max_retries=0)
    try:
        # not GET / (info()): the node of search/node/ has no rest-root module
        nodes = client.nodes.info(filter_path="nodes.*.version").body.get("nodes", {})
        health = client.cluster.health().body
    except Exception as error:  # reported here; the suites then fail with the details
        return f"Elasticsearch suites on {where}: unreachable ({type(error).__name__}: {error})"
    finally:
        client.close()
    versions = ", ".join(sorted({node["version"] for node in nodes.values()})) or "unknown"
    return (
        f"Elasticsearch suites on {where}: Elasticsearch {versions}, cluster "
        f"{health.get('cluster_name')} {health.get('status')}, index prefix {TEST_PREFIX}"
    )
