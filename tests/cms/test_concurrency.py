"""The embedded default under load: a real gunicorn with two workers on a file SQLite database,
eight clients searching (page and API) and downloading a form at the same time. No answer may
be a server error, every search must be counted in the query analytics and every download in
the form's counter: a GET never fails, and no count is lost, because another request writes.

Run alone with `pytest -m server`; deselect with `-m "not server"`."""

import http.client
import importlib.util
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

# django_db: so that the session's test database is created, to be copied below.
pytestmark = [pytest.mark.server, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 8
REQUESTS_PER_CLIENT = 15
QUERIES = ("giấy phép", "khai sinh", "dang ky", "xay dung", "qwxz")
CATALOGUE = """
from search.backends.database import DatabaseBackend
from search.documents import all_documents
from tests.factories import AgencyFactory, FormDocumentFactory, ProcedureFactory
from tests.factories import citing, lam_dong_province

province = lam_dong_province()
agency = AgencyFactory(province=province, code="SXD", title="Sở Xây dựng")
form = FormDocumentFactory(code="TK-01")
titles = ("Cấp giấy phép xây dựng", "Đăng ký khai sinh", "Cấp giấy phép lao động",
          "Đăng ký kết hôn", "Gia hạn giấy phép xây dựng")
for number, title in enumerate(titles):
    ProcedureFactory(agency=agency, code=f"1.00{number}", title=title, documents=citing(form))
DatabaseBackend().rebuild(all_documents())
print(form.url)
"""

if importlib.util.find_spec("gunicorn") is None:
    pytest.skip(
        "gunicorn is missing: `make install` installs it (a runtime dependency)",
        allow_module_level=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def migrated_file(tmp_path_factory, django_db_setup, django_db_blocker) -> Path:
    """A copy of the session's migrated SQLite test database in a file (migrating a file from
    scratch takes a minute on a busy CI machine; the copy takes a moment)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the server runs on SQLite: the suite's SQLite run covers it")
    database = tmp_path_factory.mktemp("server") / "db.sqlite3"
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(database)])
    return database


@pytest.fixture(scope="module")
def site(migrated_file) -> dict:
    """The migrated file database with a small catalogue and one form, served by gunicorn."""
    database = migrated_file
    folder = database.parent
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(folder / "media"),
        "ELASTICSEARCH_URL": "",
        "DEBUG": "false",
    }
    form_url = manage(env, "shell", "-c", CATALOGUE).strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - fixed program and arguments
        [sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--workers", "2"]
        + ["--bind", f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "gunicorn.log", "w"),  # noqa: SIM115 - closed with the process
    )
    try:
        wait_for(port, server)
        yield {"port": port, "form_url": form_url, "database": database}
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn stopped before serving"
        try:
            status_of(port, "/api/v1/suggest/?q=dang")
            return
        except OSError:  # not listening yet
            time.sleep(0.3)
    raise AssertionError("gunicorn did not answer within 60 s")


def status_of(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def client(site: dict, number: int) -> list[tuple[str, str, int]]:
    """One client's bounded run: (kind, query, status) for each of its requests."""
    done = []
    for i in range(REQUESTS_PER_CLIENT):
        q = QUERIES[(number + i) % len(QUERIES)]
        kind = ("page", "api", "download")[(number + i) % 3]
        if kind == "download":
            done.append((kind, "", status_of(site["port"], site["form_url"])))
            continue
        path = "/tim-kiem/" if kind == "page" else "/api/v1/search/"
        query = urllib.parse.urlencode({"q": q})
        done.append((kind, q, status_of(site["port"], f"{path}?{query}")))
    return done


def stored(database: Path, sql: str) -> int:
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute(sql).fetchone()[0] or 0


def test_concurrent_searches_and_downloads_all_answer_and_are_all_counted(site):
    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = [a for run in pool.map(lambda n: client(site, n), range(CLIENTS)) for a in run]

    statuses = Counter(status for _, _, status in answers)
    assert all(status < 500 for status in statuses), f"statuses: {dict(statuses)}"
    assert set(statuses) == {200}, f"statuses: {dict(statuses)}"
    searches = sum(1 for kind, _, _ in answers if kind != "download")
    downloads = len(answers) - searches
    assert stored(site["database"], "SELECT SUM(hits) FROM search_dailyquerycount") == searches
    assert stored(site["database"], "SELECT SUM(count) FROM forms_library_formdownloadday") == (
        downloads
    )
