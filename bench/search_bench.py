"""Search benchmark of both backends: p50/p95/max latency, full rebuild time and indexing rate
per catalogue size, printed as one table.

    .venv/bin/python bench/search_bench.py                 # 1,000 and 10,000 procedures
    .venv/bin/python bench/search_bench.py --sizes 100000  # reuses bench/out/import-100000.sqlite3
                                                           # or search-100000.sqlite3 when made
    .venv/bin/python bench/search_bench.py --postgres postgres://postgres@127.0.0.1:55432
                                                           # the same on PostgreSQL (databases
                                                           # search_bench_<size>, made afresh)
    .venv/bin/python bench/search_bench.py --elasticsearch http://127.0.0.1:9200
                                                           # Elasticsearch too (the default when
                                                           # ELASTICSEARCH_URL is set)

Each size has its own SQLite database under bench/out/: one child process generates the catalogue
(generate_catalog) and indexes it, once; then for each backend one child rebuilds its index from
the database (rebuild_search_index's work: the documents built and written) and a fresh one
measures. Queries are the relevance suite's plus words of the synthetic titles, typed with and
without accents, with typos, prefixes and codes. Elasticsearch indices are made under the prefix
`thutuc-bench` and left in place (their size is the table's "index MB").
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TARGET_MS = 50
ES_PREFIX = "thutuc-bench"
BACKENDS = ("database", "elasticsearch")


def prepare(size: int) -> dict:
    """In a child process of its own: the catalogue generated and indexed, if not yet."""
    import django

    django.setup()
    from django.core.management import call_command

    from catalog.models import ProcedurePage
    from search.backends.database import DatabaseBackend
    from search.documents import all_documents
    from search.models import SearchEntry

    if ProcedurePage.objects.count() < size:
        call_command("generate_catalog", procedures=size, seed=7, stdout=open(os.devnull, "w"))  # noqa: SIM115
    if SearchEntry.objects.count() < size:
        DatabaseBackend().rebuild(all_documents())
    return {}


def make_backend(name: str, url: str | None):
    from search.backends.database import DatabaseBackend

    if name == "database":
        return DatabaseBackend()
    from search.backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(url, prefix=ES_PREFIX)


def rebuild(name: str, url: str | None) -> dict:
    """In a child process: the backend's full rebuild from the database, timed in two parts:
    building the documents (the same work for every backend) and writing them."""
    import django

    django.setup()
    from search.documents import all_documents

    backend = make_backend(name, url)
    started = time.perf_counter()
    documents = list(all_documents())
    built = time.perf_counter()
    count = backend.rebuild(documents)
    written = time.perf_counter()
    return {
        "build_seconds": built - started,
        "write_seconds": written - built,
        "rate": count / (written - built),
    }


def index_bytes(url: str) -> int:
    """The store size of the benchmark's indices, replicas included (_cat/indices, bytes)."""
    from elasticsearch import Elasticsearch

    client = Elasticsearch(url, request_timeout=30)
    rows = client.cat.indices(index=f"{ES_PREFIX}-*", bytes="b", format="json").body
    return sum(int(row["store.size"]) for row in rows)


def measure(name: str, url: str | None) -> dict:
    """In a fresh child process (as a server's would be, not one that just built 100,000
    pages), with Django set up on the benchmark database."""
    import django

    django.setup()
    from catalog.models import ProcedurePage
    from search.backends.base import SearchQuery
    from search.backends.entry_table import EntryTable
    from search.models import IndexVersion
    from search.relevance import load_cases

    backend = make_backend(name, url)
    queries = [c["query"] for c in load_cases() if c["kind"] != "robustness"] + [
        "giấy phép xây dựng",
        "giay phep xay dung",
        "cap lai giay chung nhan",
        "dang ky kinh doanh",
        "GPXD",
        "sổ đỏ",
        "giay phep lai xe",
        "cap doi",
        "giay phep xay dugn",
        "SYN.000123",
        "thu hoi giay phep",
        "chung chi hanh nghe",
    ]
    for q in queries:  # one untimed round, as a server's would be warm (the JVM's JIT too)
        backend.search(SearchQuery(q))
    table_ms = None
    if name == "database":
        started = time.perf_counter()
        EntryTable.load(IndexVersion.current())  # what the first search after a change reads
        table_ms = (time.perf_counter() - started) * 1000
    timings = []
    for _round in range(3):
        for q in queries:
            started = time.perf_counter()
            backend.search(SearchQuery(q))
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "size": ProcedurePage.objects.count(),
        "queries": len(timings),
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "max": timings[-1],
        "table_ms": table_ms,
        "index_bytes": index_bytes(url) if name == "elasticsearch" else None,
    }


def sqlite_database(size: int) -> str:
    """The import benchmark's database of that size, else our own (completed when partial)."""
    database = OUT / f"import-{size}.sqlite3"
    if not database.exists():
        database = OUT / f"search-{size}.sqlite3"
    return f"sqlite:///{database}"


def postgres_database(server: str, size: int) -> str:
    """A fresh database `search_bench_<size>` on the server at `server` (no database name)."""
    import psycopg

    name = f"search_bench_{size}"
    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{server.rstrip('/')}/{name}"


def run_size(size: int, database_url: str, elasticsearch: str | None) -> list[dict]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only",
        # generating the catalogue indexes the database only; each backend is rebuilt below
        "ELASTICSEARCH_URL": "",
    }
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
    )
    run_child(["--prepare", str(size)], env)
    rows = []
    for name in BACKENDS if elasticsearch else BACKENDS[:1]:
        step = ["--backend", name, *(["--elasticsearch", elasticsearch] if elasticsearch else [])]
        rebuilt = run_child(["--rebuild", str(size), *step], env)
        rows.append({"backend": name, **rebuilt, **run_child(["--child", str(size), *step], env)})
    return rows


def run_child(arguments: list[str], env: dict) -> dict:
    done = subprocess.run(  # noqa: S603 - this script, in a child process
        [sys.executable, __file__, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"{' '.join(arguments)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


COLUMNS = (
    "backend",
    "database",
    "procedures",
    "queries",
    "p50 ms",
    "p95 ms",
    "max ms",
    "build s",
    "write s",
    "docs/s",
    "index MB",
    "table ms",
)


def print_table(rows: list[dict], engine: str) -> None:
    print("\n" + " ".join(f"{h:>13}" for h in COLUMNS))
    for r in rows:
        cells = (
            r["backend"],
            engine,
            f"{r['size']:,}",
            r["queries"],
            f"{r['p50']:.1f}",
            f"{r['p95']:.1f}",
            f"{r['max']:.1f}",
            f"{r['build_seconds']:.1f}",
            f"{r['write_seconds']:.1f}",
            f"{r['rate']:,.0f}",
            "-" if r["index_bytes"] is None else f"{r['index_bytes'] / 2**20:.1f}",
            "-" if r["table_ms"] is None else f"{r['table_ms']:.1f}",
        )
        print(" ".join(f"{c:>13}" for c in cells))
    print(f"\ntarget: p95 under {TARGET_MS} ms at 10,000 procedures")
    print("a full rebuild: build s, the documents built from the database (the same work for")
    print("each backend), then write s, the backend's rebuild from them at docs/s documents a")
    print("second; index MB: Elasticsearch store size (_cat/indices; no replica on one node);")
    print("table ms: reading the in-memory entry table, paid by the first search after a change")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server, without database")
    parser.add_argument(
        "--elasticsearch",
        metavar="URL",
        default=os.environ.get("ELASTICSEARCH_URL") or None,
        help="an Elasticsearch cluster to measure too (default: ELASTICSEARCH_URL)",
    )
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rebuild", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--backend", choices=BACKENDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare or args.rebuild or args.child:
        sys.path.insert(0, str(ROOT))
        if args.prepare:
            step = prepare(args.prepare)
        elif args.rebuild:
            step = rebuild(args.backend, args.elasticsearch)
        else:
            step = measure(args.backend, args.elasticsearch)
        print(json.dumps(step))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        if args.postgres:
            database = postgres_database(args.postgres, size)
        else:
            database = sqlite_database(size)
        rows += run_size(size, database, args.elasticsearch)
    print_table(rows, "postgresql" if args.postgres else "sqlite")


if __name__ == "__main__":
    main()
