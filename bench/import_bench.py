"""Import benchmark: prints a table of wall time, rows per second and peak memory.

    .venv/bin/python bench/import_bench.py              # 1,500 rows from xlsx, then re-import
    .venv/bin/python bench/import_bench.py --rows 10000 # more sizes (csv)
    .venv/bin/python bench/import_bench.py --large      # also 100,000 rows (generate + import)
    .venv/bin/python bench/import_bench.py --compare main  # the same scenarios on a git ref too

Each scenario runs manage.py against its own fresh SQLite database under bench/out/; each
command's peak memory is its own (os.wait4). With --compare REF, a temporary git worktree of REF
runs the same scenarios with the same Python, just before this tree, so that both columns come
from the same machine minute.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
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


def run(label: str, rows: int, database: Path, *argv: str, root: Path = ROOT) -> dict:
    """One manage.py command: its wall time and its own peak resident memory."""
    log = OUT / "last-run.log"
    started = time.perf_counter()
    with log.open("w") as output:
        child = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
            [PYTHON, "manage.py", *argv],
            cwd=root,
            env=environment(database),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{label} failed:\n{log.read_text()[-3000:]}")
    return {"label": label, "rows": rows, "seconds": seconds, "peak_mib": usage.ru_maxrss / 1024}


def fresh_database(name: str, root: Path) -> Path:
    database = OUT / f"{name}.sqlite3"
    database.unlink(missing_ok=True)
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [PYTHON, "manage.py", "migrate", "-v0"],
        cwd=root,
        env=environment(database),
        check=True,
        capture_output=True,
    )
    return database


def scenario(rows: int, fmt: str, again: bool = True, root: Path = ROOT) -> list[dict]:
    database = fresh_database(f"import-{rows}", root)
    path = OUT / f"synthetic-{rows}.{fmt}"
    generate = ["generate_catalog", "--procedures", str(rows), "--output", str(path)]
    generated = run(f"generate {rows:,} ({fmt})", rows, database, *generate, root=root)
    imported = run(
        f"import {rows:,} new ({fmt})", rows, database, "import_catalog", str(path), root=root
    )
    both = {
        "label": f"generate + import {rows:,}",
        "rows": rows,
        "seconds": generated["seconds"] + imported["seconds"],
        "peak_mib": max(generated["peak_mib"], imported["peak_mib"]),
    }
    results = [generated, imported, both]
    if again:
        unchanged = ["import_catalog", str(path)]
        label = f"import {rows:,} again (unchanged)"
        results.append(run(label, rows, database, *unchanged, root=root))
    return results


def all_scenarios(args, root: Path = ROOT) -> list[dict]:
    results = scenario(1500, "xlsx", root=root)
    for rows in args.rows:
        results += scenario(rows, "csv", root=root)
    if args.large:  # a re-import of 100,000 unchanged rows is not a target: skipped
        results += scenario(100_000, "csv", again=False, root=root)
    return results


@contextmanager
def worktree(ref: str):
    """A temporary checkout of `ref` beside this one, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
    git = ["git", "-C", str(ROOT)]
    subprocess.run([*git, "worktree", "add", "--detach", str(folder), ref], check=True)  # noqa: S603
    try:
        yield folder
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(folder)], check=True)  # noqa: S603


def print_table(results: list[dict], baseline: list[dict] | None, ref: str) -> None:
    head = f"{'scenario':<38} {'seconds':>9} {'rows/s':>8} {'peak MiB':>9}"
    if baseline:
        head += f" {ref + ' s':>12} {ref + ' MiB':>12}"
    print(f"\n{head}")
    for index, r in enumerate(results):
        line = f"{r['label']:<38} {r['seconds']:>9.1f} {r['rows'] / r['seconds']:>8.0f}"
        line += f" {r['peak_mib']:>9.0f}"
        if baseline:
            before = baseline[index]
            line += f" {before['seconds']:>12.1f} {before['peak_mib']:>12.0f}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 100,000 rows (csv)")
    parser.add_argument("--rows", type=int, nargs="*", default=[], help="other sizes (csv)")
    parser.add_argument("--compare", metavar="REF", help="also run a git ref (e.g. main)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    baseline = None
    if args.compare:
        with worktree(args.compare) as folder:
            baseline = all_scenarios(args, root=folder)
    print_table(all_scenarios(args), baseline, args.compare or "")
    print(
        "\ntargets: 1,500 xlsx rows imported < 30 s; 10,000 rows < 120 s; "
        "100,000 generated + imported < 30 min, < 1 GiB"
    )


if __name__ == "__main__":
    main()
