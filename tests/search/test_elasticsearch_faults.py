"""Faults on a real Elasticsearch process: a node of the test's own (the jar `make elasticsearch`
runs, on free ports) killed, paused or started again, and a server that accepts connections and
never answers. Searches then answer from the database (degraded, the page's notice, the API's
flag, never a 500); writes made meanwhile wait in PendingIndexWrite and are replayed by the next
write that succeeds or by rebuild_search_index; once the node is back the same configured
backend answers again, without restarting the site."""

import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from elasticsearch import Elasticsearch, TransportError

from catalog.models import ProcedurePage
from search.backends import configured_backend, search
from search.backends.base import SearchQuery
from search.models import PendingIndexWrite

from ..factories import ProcedureFactory
from .es_node import URL, delete_prefix, unique_prefix

NOTICE = "Máy chủ tìm kiếm đang gặp sự cố"
PANEL = "Chỉ mục tìm kiếm chưa cập nhật"
TIMEOUT = 3  # the client's request_timeout (search/backends/elasticsearch/__init__.py)
NODE_DIR = Path(django_settings.BASE_DIR) / "search" / "node"
JAR = NODE_DIR / "target" / "esnode-1.jar"
CLASSPATH = NODE_DIR / "target" / "classpath.txt"
# The JDKs the Makefile's ES_JAVA_HOME picks from, in its order.
JAVA_HOMES = [
    "/usr/lib/jvm/temurin-25-jdk-amd64",
    "/usr/lib/jvm/java-25-openjdk-amd64",
    "/usr/lib/jvm/java-21-openjdk-amd64",
]
JAVA = next((f"{home}/bin/java" for home in JAVA_HOMES if os.path.exists(f"{home}/bin/java")), "")

needs_own_node = pytest.mark.skipif(
    not URL or not JAR.exists() or not JAVA,
    reason="set ELASTICSEARCH_URL=http://127.0.0.1:9200 and run `make elasticsearch` (it builds "
    "search/node/target/esnode-1.jar, which these tests start on ports of their own; JDK 21+)",
)
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Node:
    """One Elasticsearch node process, run as the Makefile's `elasticsearch` target runs it,
    with its data (java.io.tmpdir) under `home` so that even a killed one leaves nothing."""

    def __init__(self, home: Path):
        self.home = home
        self.port = free_port()
        self.transport_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        classpath = f"{JAR}:{CLASSPATH.read_text().strip()}"
        return [
            JAVA, "-Xms256m", "-Xmx512m", f"-Djava.io.tmpdir={self.home}",
            "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "-Dio.netty.noUnsafe=true", "-Dio.netty.noKeySetOptimization=true",
            "-Dio.netty.recycler.maxCapacityPerThread=0",
            "-cp", classpath, "vn.thutuc.esnode.Main",
        ]  # fmt: skip

    def start(self) -> None:
        env = {
            **os.environ,
            "ES_PORT": str(self.port),
            "ES_TRANSPORT_PORT": str(self.transport_port),
            "ES_LOG_LEVEL": "warn",
        }
        with (self.home / "node.log").open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our jar, our arguments
                self.command(), env=env, stdout=log, stderr=subprocess.STDOUT
            )
        health = Elasticsearch(self.url, request_timeout=5)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.home / "node.log").read_text()[-2000:]
            try:
                if health.cluster.health(wait_for_status="green", timeout="5s")["status"]:
                    return
            except TransportError:
                time.sleep(0.5)
        raise AssertionError(f"the node on {self.url} did not start")

    def signal(self, number: int) -> None:
        self.process.send_signal(number)

    def kill(self) -> None:
        self.signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.signal(signal.SIGCONT)  # a paused node cannot stop
            self.signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def node(tmp_path):
    running = Node(tmp_path)
    running.start()
    yield running
    running.stop()
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.fixture
def site_on(settings, site_tree):
    """Configure the site on a node (ELASTICSEARCH_URL, a test prefix), as a deployment does."""
    prefix = unique_prefix()

    def configure(url: str):
        settings.ELASTICSEARCH_URL = url
        settings.ELASTICSEARCH_INDEX_PREFIX = prefix
        configured_backend.cache_clear()
        return configured_backend()

    yield configure
    configured_backend.cache_clear()


def draft(agency, field, code, title) -> ProcedurePage:
    slug = f"thu-tuc-{code.replace('.', '-')}"
    return ProcedureFactory(
        agency=agency, field=field, code=code, title=title, slug=slug,
        live=False, first_published_at=None, last_published_at=None,
    )  # fmt: skip


def publish(page) -> ProcedurePage:
    page.save_revision().publish()
    return ProcedurePage.objects.get(pk=page.pk)


def codes(results) -> list[str]:
    return sorted(hit.code for hit in results.hits)


def answered_by(text: str) -> tuple[str, bool, list[str]]:
    results = search(SearchQuery(text))
    return results.backend, results.degraded, codes(results)


def assert_the_site_answers_degraded(client, text: str, code: str) -> None:
    """The page shows the notice and the results, the API says degraded, nothing fails."""
    page = client.get("/tim-kiem/", {"q": text})
    assert page.status_code == 200
    assert NOTICE in page.content.decode()
    api = client.get("/api/v1/search/", {"q": text})
    assert api.status_code == 200
    assert (api.json()["degraded"], api.json()["backend"]) == (True, "database")
    assert code in [r["code"] for r in api.json()["results"]]


def admin_home(client) -> str:
    user = get_user_model().objects.create_superuser("admin", "admin@example.invalid", "pw")
    client.force_login(user)
    content = client.get("/admin/").content.decode()
    client.logout()
    user.delete()
    return content


# --- killed --------------------------------------------------------------------------------------


@needs_own_node
def test_a_killed_node_answers_from_the_database_and_queued_writes_follow_it_back(
    node, site_on, client, agency, civil, caplog
):
    backend = site_on(node.url)
    birth = publish(draft(agency, civil, "2.000488", "Đăng ký khai sinh"))
    marriage = publish(draft(agency, civil, "2.000528", "Đăng ký kết hôn"))
    assert answered_by("khai sinh") == ("elasticsearch", False, ["2.000488"])

    # Citizens search while the node is killed (SIGKILL): every search answers.
    answers, errors, done = [], [], threading.Event()

    def searching():
        try:
            while not done.is_set():
                answers.append(answered_by("khai sinh"))
        except BaseException as error:  # noqa: BLE001 - any failure is the finding
            errors.append(error)
        finally:
            connection.close()

    searcher = threading.Thread(target=searching)
    searcher.start()
    time.sleep(0.5)
    node.kill()
    time.sleep(1.5)
    done.set()
    searcher.join()
    assert errors == []
    assert all(found == ["2.000488"] for _, _, found in answers)
    assert ("elasticsearch", False, ["2.000488"]) in answers
    assert answers[-1] == ("database", True, ["2.000488"])
    assert_the_site_answers_degraded(client, "khai sinh", "2.000488")

    # Editors keep publishing: the database index follows, Elasticsearch's writes wait.
    caplog.set_level(logging.ERROR, logger="search.indexing")
    death = publish(draft(agency, civil, "2.000635", "Đăng ký khai tử"))
    marriage.unpublish()
    assert answered_by("khai tu") == ("database", True, ["2.000635"])
    assert answered_by("ket hon") == ("database", True, [])
    pending = dict(PendingIndexWrite.objects.values_list("procedure_id", "removed"))
    assert pending == {death.pk: False, marriage.pk: True}
    assert "2 procedure(s) wait to be written to the Elasticsearch index" in caplog.text
    assert PANEL in admin_home(client)
    with pytest.raises(TransportError):  # a rebuild fails loudly, and the queue stays
        call_command("rebuild_search_index", stdout=StringIO(), stderr=StringIO())
    assert PendingIndexWrite.objects.count() == 2

    # The node back on the same port (empty: its data died with it), rebuilt: the same backend
    # object answers again, with what was published while it was down.
    node.start()
    out, err = StringIO(), StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=err)
    assert "elasticsearch: 2 thủ tục chờ ghi" in err.getvalue()
    assert "elasticsearch: 2 thủ tục chờ ghi đã ghi / pending writes replayed" in out.getvalue()
    assert not PendingIndexWrite.objects.exists()
    assert PANEL not in admin_home(client)
    assert configured_backend() is backend
    assert answered_by("khai tu") == ("elasticsearch", False, ["2.000635"])
    assert answered_by("ket hon") == ("elasticsearch", False, [])
    assert answered_by("khai sinh") == ("elasticsearch", False, [birth.code])
    delete_prefix(Elasticsearch(node.url), backend.prefix)


# --- paused: slow ------------------------------------------------------------------------------


@needs_own_node
def test_a_paused_node_counts_as_down_and_the_next_write_replays_what_waited(
    node, site_on, client, agency, civil
):
    backend = site_on(node.url)
    birth = publish(draft(agency, civil, "2.000488", "Đăng ký khai sinh"))
    assert answered_by("khai sinh") == ("elasticsearch", False, ["2.000488"])

    node.signal(signal.SIGSTOP)  # it accepts connections and answers nothing
    try:
        started = time.monotonic()
        assert answered_by("khai sinh") == ("database", True, ["2.000488"])
        assert time.monotonic() - started < TIMEOUT + 2
        assert_the_site_answers_degraded(client, "khai sinh", "2.000488")

        birth.title = "Đăng ký khai sinh có yếu tố nước ngoài"
        birth = publish(birth)
        death = publish(draft(agency, civil, "2.000635", "Đăng ký khai tử"))
        assert set(PendingIndexWrite.objects.values_list("procedure_id", flat=True)) == {
            birth.pk,
            death.pk,
        }
    finally:
        node.signal(signal.SIGCONT)

    # The next publication that reaches Elasticsearch writes what waited, in its latest state.
    publish(draft(agency, civil, "2.000528", "Đăng ký kết hôn"))
    assert not PendingIndexWrite.objects.exists()
    assert configured_backend() is backend
    assert answered_by("khai tu") == ("elasticsearch", False, ["2.000635"])
    assert answered_by("nuoc ngoai") == ("elasticsearch", False, ["2.000488"])
    assert answered_by("dang ky") == (
        "elasticsearch", False, ["2.000488", "2.000528", "2.000635"],
    )  # fmt: skip
    delete_prefix(Elasticsearch(node.url), backend.prefix)


# --- a server that never answers ------------------------------------------------------------------


@pytest.fixture
def silent_server():
    """Accepts TCP connections and never answers (a hung cluster, a black-holing proxy)."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accepting():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accepting)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection_ in held:
        connection_.close()
    listener.close()


def test_a_server_that_never_answers_gives_a_degraded_answer_within_the_timeout(
    silent_server, site_on, client, agency, civil, caplog
):
    site_on(silent_server)
    caplog.set_level(logging.ERROR, logger="search.indexing")
    publish(draft(agency, civil, "2.000488", "Đăng ký khai sinh"))  # its write waits
    assert PendingIndexWrite.objects.count() == 1
    assert "1 procedure(s) wait to be written to the Elasticsearch index" in caplog.text
    assert PANEL in admin_home(client)
    started = time.monotonic()
    assert answered_by("khai sinh") == ("database", True, ["2.000488"])
    elapsed = time.monotonic() - started
    assert TIMEOUT - 0.5 < elapsed < TIMEOUT + 2
    assert_the_site_answers_degraded(client, "khai sinh", "2.000488")
