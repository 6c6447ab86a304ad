"""Webhooks against a real HTTP server on this machine: signed, retried with backoff through the
database task queue's worker, logged; and the guard that keeps requests off private networks."""

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from catalog.models import ProcedurePage
from portals.models import Delivery, DeliveryStatus, Portal
from portals.outbound import RefusedURL, check_url
from portals.webhooks import retry, signature

from ..factories import small_catalogue


class Receiver(BaseHTTPRequestHandler):
    """Answers each POST with the next status of `statuses` (200 when they run out)."""

    statuses: list[int] = []
    received: list[tuple[dict, bytes]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        status = type(self).statuses.pop(0) if type(self).statuses else 200
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.statuses, Receiver.received = [], []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


@pytest.fixture
def local_network(settings):
    settings.OUTBOUND_ALLOW_PRIVATE_NETWORKS = True
    settings.WEBHOOK_RETRY_BASE_SECONDS = 60


def work_queue():
    """The worker as `make run` runs it. It closes the connection it finds inside a transaction
    (PostgreSQL), so these tests are transactional: every commit is real, as in production."""
    call_command("db_worker", "--backend", "webhooks", "--batch", "--no-startup-delay")


def publish_fee(page, fee: str) -> None:
    page = ProcedurePage.objects.get(pk=page.pk)
    page.fee = fee
    page.save_revision().publish()


def test_a_change_is_posted_signed_with_a_delivery_id(site_tree, receiver, local_network):
    catalog = small_catalogue()
    portal = Portal.objects.create(name="Sở Xây dựng", webhook_url=receiver, agency="SXD")
    Portal.objects.create(name="UBND xã", webhook_url=receiver, agency="UBND-XA")
    publish_fee(catalog["permit"], "500.000 đồng")
    work_queue()
    assert len(Receiver.received) == 1  # the commune's portal is not in this change's scope
    headers, body = Receiver.received[0]
    expected = (
        "sha256=" + hmac.new(portal.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
    )
    assert headers["X-Signature-256"] == expected == signature(portal.webhook_secret, body)
    payload = json.loads(body)
    assert payload["event"] == "procedure.updated"
    assert headers["X-Delivery-Id"] == payload["delivery"]
    assert payload["change"]["code"] == "1.000894"
    assert payload["change"]["record"]["fee"] == "500.000 đồng"
    delivery = Delivery.objects.get(pk=payload["delivery"])
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)


def test_a_failed_delivery_is_retried_with_growing_delays_then_given_up(
    site_tree, receiver, local_network, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    catalog = small_catalogue()
    Portal.objects.create(name="Sở Xây dựng", webhook_url=receiver)
    Receiver.statuses = [500, 503, 500]
    publish_fee(catalog["permit"], "1 đồng")
    work_queue()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.RETRYING, 1)
    assert delivery.last_error.startswith("HTTP 500")
    first_delay = delivery.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=50) < first_delay <= datetime.timedelta(seconds=60)
    work_queue()  # not due yet: nothing is sent
    assert len(Receiver.received) == 1

    def make_due():
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())

    make_due()
    work_queue()
    delivery.refresh_from_db()
    second_delay = delivery.next_attempt_at - timezone.now()
    assert (delivery.attempts, delivery.last_status_code) == (2, 503)
    assert datetime.timedelta(seconds=110) < second_delay <= datetime.timedelta(seconds=120)
    make_due()
    work_queue()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    bodies = {body for _headers, body in Receiver.received}
    assert len(bodies) == 1  # every attempt sends the same signed bytes

    retry(delivery)  # the admin's "Gửi lại"
    work_queue()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


def test_a_rolled_back_publication_is_pushed_to_no_one(site_tree, receiver, local_network):
    catalog = small_catalogue()
    Portal.objects.create(name="Sở Xây dựng", webhook_url=receiver)
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_fee(catalog["permit"], "3 đồng")
        raise RuntimeError("the request fails after the publication was written")
    work_queue()
    assert Delivery.objects.count() == 0 and Receiver.received == []


@pytest.mark.parametrize(
    "url",
    [
        "http://dichvucong.example.gov.vn/hook",  # not https
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.0.0.7/hook",
        "https://192.168.1.10/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "file:///etc/passwd",
    ],
)
def test_private_and_plain_addresses_are_refused_by_default(url):
    with pytest.raises(RefusedURL):
        check_url(url)


def test_a_refused_address_is_logged_as_the_delivery_error(site_tree, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    catalog = small_catalogue()
    Portal.objects.create(name="Nội bộ", webhook_url="https://127.0.0.1:9/hook")
    publish_fee(catalog["permit"], "2 đồng")
    work_queue()
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert "127.0.0.1" in delivery.last_error
