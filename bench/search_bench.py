"""Search latency benchmark of the database backend: prints p50/p95/max per catalogue size.

    .venv/bin/python bench/search_bench.py                 # 1,000 and 10,000 procedures
    .venv/bin/python bench/search_bench.py --sizes 100000  # reuses bench/out/import-100000.sqlite3
                                                           # when the import benchmark made it
    .venv/bin/python bench/search_bench.py --postgres postgres://postgres@127.0.0.1:55432
                                                           # the same on PostgreSQL (databases
                                                           # search_bench_<size>, made afresh)

Each size has its own SQLite database under bench/out/: one child process generates the catalogue
(generate_catalog) and indexes it, a fresh one measures. Queries are the relevance suite's plus
words of the synthetic titles, typed with and without accents, with typos, prefixes and codes.
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
    index_seconds = 0.0
    if SearchEntry.objects.count() < size:
        started = time.perf_counter()
        DatabaseBackend().rebuild(all_documents())
        index_seconds = time.perf_counter() - started
    return {"index_seconds": index_seconds}


def measure(size: int) -> dict:
    """In a fresh child process (as a server's would be, not one that just built 100,000
    pages), with Django set up on the benchmark database."""
    import django

    django.setup()
    from catalog.models import ProcedurePage
    from search.backends.base import SearchQuery
    from search.backends.database import DatabaseBackend
    from search.backends.entry_table import EntryTable
    from search.models import IndexVersion
    from search.relevance import load_cases

    backend = DatabaseBackend()
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
    backend.search(SearchQuery("khởi động"))  # warm caches
    started = time.perf_counter()
    EntryTable.load(IndexVersion.current())  # what the first search after a change reads again
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
    }


def sqlite_database(size: int) -> str:
    database = OUT / f"import-{size}.sqlite3"
    if not database.exists():
        database = OUT / f"search-{size}.sqlite3"
        database.unlink(missing_ok=True)
    return f"sqlite:///{database}"


def postgres_database(server: str, size: int) -> str:
    """A fresh database `search_bench_<size>` on the server at `server` (no database name)."""
    import psycopg

    name = f"search_bench_{size}"
    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{server.rstrip('/')}/{name}"


def run_size(size: int, database_url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only",
    }
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
    )
    prepared = run_child("--prepare", size, env)
    return {**run_child("--child", size, env), **prepared}


def run_child(step: str, size: int, env: dict) -> dict:
    done = subprocess.run(  # noqa: S603 - this script, in a child process
        [sys.executable, __file__, step, str(size)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"{size:,} procedures failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server, without database")
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare or args.child:
        sys.path.insert(0, str(ROOT))
        step = prepare(args.prepare) if args.prepare else measure(args.child)
        print(json.dumps(step))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    rows = [
        run_size(
            size,
            postgres_database(args.postgres, size) if args.postgres else sqlite_database(size),
        )
        for size in args.sizes
    ]
    header = ("database", "procedures", "queries", "p50 ms", "p95 ms", "max ms", "index s")
    print("\n" + " ".join(f"{h:>10}" for h in (*header, "table ms")))
    engine = "postgresql" if args.postgres else "sqlite"
    for r in rows:
        print(
            f"{engine:>10} {r['size']:>10,} {r['queries']:>10} {r['p50']:>10.1f} {r['p95']:>10.1f}"
            f" {r['max']:>10.1f} {r['index_seconds']:>10.1f} {r['table_ms']:>10.1f}"
        )
    print(f"\ntarget: p95 under {TARGET_MS} ms at 10,000 procedures (database backend)")
    print("table ms: reading the in-memory entry table, paid by the first search after a change")


if __name__ == "__main__":
    main()
