"""Import benchmark: prints a table of wall time, rows per second and peak memory.

    .venv/bin/python bench/import_bench.py              # 1,500 rows from xlsx, then re-import
    .venv/bin/python bench/import_bench.py --rows 10000 # more sizes (csv)
    .venv/bin/python bench/import_bench.py --large      # also 100,000 rows (generate + import)

Each scenario runs manage.py against its own fresh SQLite database under bench/out/; each
command's peak memory is its own (os.wait4).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable


def environment(database: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "false",  # as in production: no per-query debug log
    }


def run(label: str, rows: int, database: Path, *argv: str) -> dict:
    """One manage.py command: its wall time and its own peak resident memory."""
    log = OUT / "last-run.log"
    started = time.perf_counter()
    with log.open("w") as output:
        child = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
            [PYTHON, "manage.py", *argv],
            cwd=ROOT,
            env=environment(database),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{label} failed:\n{log.read_text()[-3000:]}")
    return {"label": label, "rows": rows, "seconds": seconds, "peak_mib": usage.ru_maxrss / 1024}


def fresh_database(name: str) -> Path:
    database = OUT / f"{name}.sqlite3"
    database.unlink(missing_ok=True)
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [PYTHON, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=environment(database),
        check=True,
        capture_output=True,
    )
    return database


def scenario(rows: int, fmt: str, again: bool = True) -> list[dict]:
    database = fresh_database(f"import-{rows}")
    path = OUT / f"synthetic-{rows}.{fmt}"
    generate = ["generate_catalog", "--procedures", str(rows), "--output", str(path)]
    generated = run(f"generate {rows:,} ({fmt})", rows, database, *generate)
    imported = run(f"import {rows:,} new ({fmt})", rows, database, "import_catalog", str(path))
    both = {
        "label": f"generate + import {rows:,}",
        "rows": rows,
        "seconds": generated["seconds"] + imported["seconds"],
        "peak_mib": max(generated["peak_mib"], imported["peak_mib"]),
    }
    results = [generated, imported, both]
    if again:
        unchanged = ["import_catalog", str(path)]
        results.append(run(f"import {rows:,} again (unchanged)", rows, database, *unchanged))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 100,000 rows (csv)")
    parser.add_argument("--rows", type=int, nargs="*", default=[], help="other sizes (csv)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = scenario(1500, "xlsx")
    for rows in args.rows:
        results += scenario(rows, "csv")
    if args.large:  # a re-import of 100,000 unchanged rows is not a target: skipped
        results += scenario(100_000, "csv", again=False)
    print(f"\n{'scenario':<38} {'seconds':>9} {'rows/s':>8} {'peak MiB':>9}")
    for r in results:
        rate = r["rows"] / r["seconds"]
        print(f"{r['label']:<38} {r['seconds']:>9.1f} {rate:>8.0f} {r['peak_mib']:>9.0f}")
    print(
        "\ntargets: 1,500 xlsx rows imported < 30 s; 100,000 generated + imported < 30 min, < 1 GiB"
    )


if __name__ == "__main__":
    main()
