"""Feed API benchmark: prints a table of p50/p95 times and response sizes of the feed's lists,
each beside a trivial request measured in the same run.

    .venv/bin/python bench/api_bench.py            # 10,000 procedures, a fresh SQLite database
    .venv/bin/python bench/api_bench.py --reuse    # reuse bench/out/api-10000.sqlite3
    .venv/bin/python bench/api_bench.py --profile  # also cProfile one 500-record page (stderr)

The catalogue is generated straight into a fresh database (generate_catalog --procedures N, which
imports it). Then, each in a fresh child process with the production settings (DEBUG off):

(a) a day of edits: 1,000 published procedures, chosen at random, get a new fee and are published
    again (catalog.publishing's BulkPublisher, 100 a transaction: the same revisions, history and
    page_published signals as the editor's, so catalog.changes logs 1,000 `updated` changes);
(b) the Django test client, in-process: /robots.txt and /api/v1/fields/ (the baselines);
    procedures/ and changes/ both warm (records kept by catalog.record_cache, as a server that
    has served them once) and cold (that cache cleared before each request or walk);
    procedures/?page_size=500, first page and page 10; the same with If-None-Match set to the
    ETag of the first answer (a 304); and changes/?since=<start of the edits> at page_size 100
    and 500, following `next` through all 1,000 changes, several times. Each measure has an
    untimed warm-up request first, as a server would be warm.
"""

import argparse
import cProfile
import gzip
import json
import pstats
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from import_bench import OUT, PYTHON, ROOT, fresh_database, run  # the same catalogue set-up
from page_bench import serving_environment  # production settings on the benchmark database

SIZE = 10_000
EDITS = 1_000
EDIT_BATCH = 100
RUNS = 20
LIST_TARGET_MS = 150
NOT_MODIFIED_TARGET_MS = 10
CHANGES_TARGET_MS = 150
PROCEDURES = "/api/v1/procedures/"
CHANGES = "/api/v1/changes/"
BASELINES = ("/robots.txt", "/api/v1/fields/")


def environment(database: Path) -> dict:
    # The page cache in memory, the child's own (the default file cache in /tmp is shared with
    # whatever else runs on the machine); the feed's JSON is never stored in it anyway.
    # One client asks thousands of times a minute: no anonymous limit (portals/throttling).
    return {
        **serving_environment(database),
        "PAGE_CACHE_URL": "locmemcache://api-bench",
        "FEED_ANONYMOUS_RATE": "1000000/min",
    }


def catalogue(size: int, reuse: bool) -> Path:
    """The benchmark database with `size` generated procedures."""
    database = OUT / f"api-{size}.sqlite3"
    if reuse and database.exists():
        return database
    database = fresh_database(f"api-{size}", ROOT)
    run("generate", size, database, "generate_catalog", "--procedures", str(size))
    return database


# --- in the children ---------------------------------------------------------------------------


def edit(count: int) -> dict:
    """A day of edits: `count` procedures republished with a changed fee. Returns when the
    edits started (the changes/ request's ?since=) and how many changes they logged."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from catalog.models import ProcedureChange, ProcedurePage
    from catalog.publishing import BulkPublisher

    ids = sorted(ProcedurePage.objects.live().public().values_list("id", flat=True))
    chosen = sorted(random.Random(time.time_ns()).sample(ids, min(count, len(ids))))
    since = timezone.now()
    first = ProcedureChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    started = time.perf_counter()
    for start in range(0, len(chosen), EDIT_BATCH):
        batch = chosen[start : start + EDIT_BATCH]
        with transaction.atomic(), BulkPublisher() as publisher:
            for page in ProcedurePage.objects.filter(id__in=batch).select_related("agency"):
                old_title = str(page)
                page.fee = f"{page.fee} (sửa {since:%H:%M:%S}.{page.pk})".strip()
                publisher.update(page, old_title)
    seconds = time.perf_counter() - started
    logged = ProcedureChange.objects.filter(id__gt=first, at__gte=since).count()
    return {"since": since.isoformat(), "edits": len(chosen), "logged": logged, "seconds": seconds}


def measure(since: str, profile: bool) -> dict:
    """Django set up on the benchmark database; every request in-process."""
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_ACCEPT="application/json")

    def get(url: str, status: int = 200, **headers):
        response = client.get(url, headers=headers)
        if response.status_code != status:
            raise SystemExit(f"{url}: {response.status_code}, not {status}")
        return response

    def forget_records() -> None:
        caches["records"].clear()

    def timed(url: str, status: int = 200, cold=False, **headers) -> tuple[float, object]:
        if cold:  # every record built again, none read from catalog.record_cache
            forget_records()
        started = time.perf_counter()
        response = get(url, status, **headers)
        return (time.perf_counter() - started) * 1000, response

    def repeated(
        label: str, url: str, status: int = 200, target=None, cold=False, **headers
    ) -> dict:
        first = get(url, status, **headers)  # warm-up
        if cold:
            forget_records()
        queries = count_queries(connection, get, url, status, **headers)
        times = [timed(url, status, cold, **headers)[0] for _ in range(RUNS)]
        return row(label, times, first.content, queries, target)

    rows = [repeated(f"baseline: GET {path}", path) for path in BASELINES]

    from catalog.records import public_procedures

    last_page = max(1, -(-public_procedures().count() // 500))  # page 10 of 10,000
    etags = {}
    for query in ("?page_size=500", f"?page_size=500&page={min(10, last_page)}"):
        url = PROCEDURES + query
        rows.append(repeated(f"GET procedures/{query}", url, target=LIST_TARGET_MS))
        etags[query] = get(url)["ETag"]
    rows.append(
        repeated(
            "GET procedures/?page_size=500, records built (cache cleared)",
            PROCEDURES + "?page_size=500",
            cold=True,
        )
    )
    for query, etag in etags.items():
        rows.append(
            repeated(
                f"GET procedures/{query}, If-None-Match: 304",
                PROCEDURES + query,
                status=304,
                target=NOT_MODIFIED_TARGET_MS,
                if_none_match=etag,
            )
        )

    for size, walks in ((100, 3), (500, 10)):
        url = CHANGES + "?" + urlencode({"since": since, "page_size": size})
        forget_records()
        queries = count_queries(connection, get, url)
        forget_records()
        cold = walk(get, url, timed)  # the first portal to sync builds the day's records
        label = f"GET changes/?since=…&page_size={size}, per page, records built"
        rows.append(row(label, cold["times"], cold["first"], queries, None))
        queries = count_queries(connection, get, url)
        times, pages, changes, first = [], 0, 0, None
        for _ in range(walks):
            walked = walk(get, url, timed)
            times += walked["times"]
            pages, changes, first = len(walked["times"]), walked["changes"], walked["first"]
        label = f"GET changes/?since=…&page_size={size}, per page ({pages} pages, {changes:,})"
        rows.append(row(label, times, first, queries, CHANGES_TARGET_MS))

    profiled = None
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        get(PROCEDURES + "?page_size=500")
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
        stats.print_stats(40)
        profiled = "stderr"
    return {"rows": rows, "profile": profiled}


def count_queries(connection, get, *args, **headers) -> int:
    """The SQL statements of one request (CaptureQueriesContext's log is emptied by the
    request_started signal of the request it would watch)."""
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        get(*args, **headers)
    return count


def walk(get, url: str, timed=None) -> dict:
    """Follow `next` from `url` to the last page: each page's time, the changes read."""
    times, changes, first = [], 0, None
    while url:
        if timed:
            ms, response = timed(url)
            times.append(ms)
        else:
            response = get(url)
        body = response.json()
        first = first if first is not None else response.content
        changes += len(body["results"])
        url = body["next"] and _local(body["next"])
    return {"times": times, "changes": changes, "first": first}


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def row(label: str, times: list[float], body: bytes, queries: int, target) -> dict:
    return {
        "label": label,
        "p50": statistics.median(times),
        "p95": statistics.quantiles(times, n=20, method="inclusive")[-1],
        "samples": len(times),
        "bytes": len(body),
        "gzip": len(gzip.compress(body, 6)) if body else 0,
        "queries": queries,
        "target": target,
    }


def child(arguments: list[str], database: Path) -> dict:
    done = subprocess.run(  # noqa: S603 - this script, in a fresh process
        [PYTHON, str(Path(__file__)), *arguments],
        cwd=ROOT,
        env=environment(database),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    if done.stderr.strip():
        print(done.stderr, file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the table ---------------------------------------------------------------------------------


def verdict(r: dict) -> str:
    if r["target"] is None:
        return ""
    over = r["p95"] - r["target"]
    said = "met" if over <= 0 else f"MISSED by {over:.0f} ms ({r['p95'] / r['target']:.1f}x)"
    return f"<= {r['target']} (p95 {said})"


def print_table(size: int, edits: dict, rows: list[dict]) -> None:
    width = max(len(r["label"]) for r in rows)
    print(f"\n{size:,} procedures; {edits['edits']:,} republished in {edits['seconds']:.0f} s,")
    print(f"logging {edits['logged']:,} changes since {edits['since']}")
    print("SQLite, production settings, in-process (Django test client)")
    print(f"\n{'measure':<{width}} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>10}  target")
    for r in rows:
        print(
            f"{r['label']:<{width}} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['bytes']:>10,}  "
            f"{verdict(r)}"
        )
    print("\nSQL queries a request, gzip bytes, timed requests:")
    for r in rows:
        print(f"  {r['label']:<{width}} {r['queries']:>4} SQL {r['gzip']:>9,} gz  n={r['samples']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=SIZE)
    parser.add_argument("--edits", type=int, default=EDITS)
    parser.add_argument("--reuse", action="store_true", help="reuse the database if it exists")
    parser.add_argument("--profile", action="store_true", help="cProfile a 500-record page")
    parser.add_argument("--edit", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", metavar="SINCE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.edit:
        print(json.dumps(edit(args.edit)))
        return
    if args.measure:
        print(json.dumps(measure(args.measure, args.profile)))
        return
    (OUT / "static").mkdir(parents=True, exist_ok=True)  # the settings' STATIC_ROOT
    database = catalogue(args.procedures, args.reuse)
    edits = child(["--edit", str(args.edits)], database)
    measured = child(
        ["--measure", edits["since"], *(["--profile"] if args.profile else [])], database
    )
    print_table(args.procedures, edits, measured["rows"])


if __name__ == "__main__":
    main()
