"""Page benchmark: prints a table of procedure page render times, SQL queries, page weights and
the requests per second gunicorn serves.

    .venv/bin/python bench/page_bench.py            # 10,000 procedures, a fresh SQLite database
    .venv/bin/python bench/page_bench.py --reuse    # reuse bench/out/page-10000.sqlite3

The catalogue is made as the import benchmark makes it (generate_catalog --output, then
import_catalog, into a fresh database; its helpers are imported). Then, with the production
settings (DEBUG off, collected static files served by whitenoise):

(a) in a fresh child process, the Django test client renders ~300 different procedure pages
    after a warm-up on others, each once, so that no page cache can answer: p50 and p95; the SQL
    queries of the smallest and the fullest procedure (they must be equal); the bytes of each
    page type, as sent and gzipped;
(b) gunicorn with 2 workers on 127.0.0.1 serves one procedure page and /static/css/site.css in
    the same run, loaded by wrk when it is installed, else by a small threaded client
    (http.client, keep-alive); the ratio of the two rates.
"""

import argparse
import gzip
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

from import_bench import OUT, PYTHON, ROOT, fresh_database, run  # the same catalogue set-up

SIZE = 10_000
SAMPLE = 300
WARM_UP = 30
LOAD_SECONDS = 10
CONNECTIONS = 16
STATIC = "/static/css/site.css"
RENDER_P50_TARGET_MS = 25
RATE_RATIO_TARGET = 0.5


def serving_environment(database: Path) -> dict:
    """Production settings on the benchmark database, over plain HTTP on loopback."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DEBUG": "false",
        "SECRET_KEY": "page-bench-throwaway-key-for-loopback-only",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(OUT / "static"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PYTHONPATH": str(ROOT),  # for this script run as a child, whose path starts at bench/
    }


def catalogue(size: int, reuse: bool) -> Path:
    """The benchmark database with `size` generated procedures, imported as an editor would."""
    database = OUT / f"page-{size}.sqlite3"
    if reuse and database.exists():
        return database
    database = fresh_database(f"page-{size}", ROOT)
    path = OUT / f"page-synthetic-{size}.csv"
    run(
        "generate",
        size,
        database,
        "generate_catalog",
        "--procedures",
        str(size),
        "--output",
        str(path),
    )
    run("import", size, database, "import_catalog", str(path))
    return database


def collect_static(database: Path) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=serving_environment(database),
        check=True,
    )


# --- (a) in-process, in a child process --------------------------------------------------------


def measure_in_process() -> dict:
    """Run in the child: Django set up on the benchmark database."""
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, TextField
    from django.db.models.functions import Cast, Length
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalog.models import AgencyPage, ProcedurePage, ProvincePage
    from forms_library.models import FormDocument

    client = Client()
    parts = ("documents", "steps", "channels", "legal_basis", "requirements", "fee")
    live = ProcedurePage.objects.live().annotate(
        size=sum(
            (Length(Cast(part, TextField())) for part in parts[1:]),
            Length(Cast(parts[0], TextField())),
        )
    )
    smallest, fullest = live.order_by("size", "id").first(), live.order_by("-size", "id").first()
    ids = list(live.exclude(id__in=[smallest.id, fullest.id]).values_list("id", flat=True))
    chosen = random.Random(7).sample(ids, min(len(ids), WARM_UP + SAMPLE))
    urls = [page.url for page in ProcedurePage.objects.filter(id__in=chosen)]

    def get(url: str):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        return response

    for url in urls[:WARM_UP]:
        get(url)
    times = []
    for url in urls[WARM_UP:]:
        started = time.perf_counter()
        get(url)
        times.append((time.perf_counter() - started) * 1000)

    queries = {}
    for name, page in (("smallest", smallest), ("fullest", fullest)):
        with CaptureQueriesContext(connection) as first:
            get(page.url)
        with CaptureQueriesContext(connection) as again:
            get(page.url)
        queries[name] = {"first": len(first), "again": len(again)}

    def weight(url: str) -> list[int]:
        body = get(url).content
        return [len(body), len(gzip.compress(body, 6))]

    agency = AgencyPage.objects.live().annotate(n=Count("procedures")).order_by("-n").first()
    pages = {
        "home": "/",
        "province": ProvincePage.objects.live().first().url,
        "agency (largest)": agency.url,
        "procedure (smallest)": smallest.url,
        "procedure (fullest)": fullest.url,
        "search results": "/tim-kiem/?q=giay+phep",
        "forms index": "/bieu-mau/",
    }
    form = FormDocument.objects.order_by("id").first()
    if form:
        pages["form detail"] = f"/bieu-mau/{form.pk}/"
    return {
        "p50": statistics.median(times),
        "p95": statistics.quantiles(times, n=20)[-1],
        "renders": len(times),
        "queries": queries,
        "bytes": {name: weight(url) for name, url in pages.items()},
        "procedure_url": fullest.url,
        "agency_procedures": agency.procedures.count(),
    }


def in_process(database: Path) -> dict:
    child = subprocess.run(  # noqa: S603 - this script, in a fresh process
        [PYTHON, str(Path(__file__)), "--child"],
        cwd=ROOT,
        env=serving_environment(database),
        capture_output=True,
        text=True,
    )
    if child.returncode != 0:
        raise SystemExit(f"the in-process measurement failed:\n{child.stderr[-3000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


# --- (b) gunicorn ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {path} on port {port}")


def load_with_wrk(port: int, path: str) -> float:
    output = subprocess.run(  # noqa: S603 - wrk with fixed arguments
        [
            shutil.which("wrk") or "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{LOAD_SECONDS}s",
            f"http://127.0.0.1:{port}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"wrk got errors on {path}:\n{output}")
    return float(next(line for line in output.splitlines() if "Requests/sec" in line).split()[-1])


def load_with_threads(port: int, path: str) -> float:
    """CONNECTIONS threads, each on one keep-alive connection (reopened when the server closes
    it), for LOAD_SECONDS: successful requests per second."""
    done = [0] * CONNECTIONS
    stop = time.monotonic() + LOAD_SECONDS

    def worker(slot: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                done[slot] += response.status == 200
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                connection.close()

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / LOAD_SECONDS


def served(database: Path, procedure_url: str) -> dict:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - gunicorn with fixed arguments
        [
            PYTHON,
            "-m",
            "gunicorn",
            "cms.wsgi:application",
            "-w",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=serving_environment(database),
    )
    try:
        wait_until_up(port, STATIC)
        for _ in range(6):  # each worker's first page costs it a second of imports
            wait_until_up(port, procedure_url)
        load = load_with_wrk if shutil.which("wrk") else load_with_threads
        page, static = load(port, procedure_url), load(port, STATIC)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"page": page, "static": static, "client": load.__name__.removeprefix("load_with_")}


# --- the table ---------------------------------------------------------------------------------


def print_table(size: int, a: dict, b: dict) -> None:
    q = a["queries"]
    cached = q["fullest"]["again"] < q["fullest"]["first"]
    equal = q["smallest"]["first"] == q["fullest"]["first"]
    rows = [
        ("procedures in the catalogue", f"{size:,}", ""),
        (
            f"procedure render p50, ms ({a['renders']} pages, uncached)",
            f"{a['p50']:.1f}",
            f"<= {RENDER_P50_TARGET_MS}",
        ),
        ("procedure render p95, ms", f"{a['p95']:.1f}", ""),
        ("SQL queries, smallest procedure", str(q["smallest"]["first"]), "equal"),
        (
            "SQL queries, fullest procedure",
            str(q["fullest"]["first"]),
            "equal" + (" (met)" if equal else " (NOT met)"),
        ),
        (
            "SQL queries, the same page again",
            f"{q['fullest']['again']}",
            "page cache " + ("answered" if cached else "absent"),
        ),
        (f"gunicorn -w 2, procedure page, req/s ({b['client']})", f"{b['page']:.0f}", ""),
        (f"gunicorn -w 2, {STATIC}, req/s", f"{b['static']:.0f}", ""),
        (
            "procedure page / static file",
            f"{b['page'] / b['static']:.1%}",
            f">= {RATE_RATIO_TARGET:.0%} with the page cache",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure':<{width}} {'value':>10}  target")
    for label, value, target in rows:
        print(f"{label:<{width}} {value:>10}  {target}")
    print(f"\n{'page type':<24} {'bytes':>9} {'gzip':>8}")
    for name, (raw, packed) in a["bytes"].items():
        print(f"{name:<24} {raw:>9,} {packed:>8,}")
    print(
        f"(largest agency: {a['agency_procedures']:,} procedures; targets: a procedure page "
        "<= 100 KB, <= 30 KB gzip)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=SIZE)
    parser.add_argument("--reuse", action="store_true", help="reuse the database if it exists")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_in_process()))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    database = catalogue(args.procedures, args.reuse)
    collect_static(database)
    a = in_process(database)
    print_table(args.procedures, a, served(database, a["procedure_url"]))


if __name__ == "__main__":
    main()
