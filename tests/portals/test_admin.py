"""The portals and the delivery log in Wagtail's admin: listed, and retried by an operator."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from portals.models import Delivery, DeliveryStatus, Portal


@pytest.fixture
def failed(db):
    portal = Portal.objects.create(name="Cổng Sở Tư pháp", webhook_url="https://stp.example.vn/h")
    return Delivery.objects.create(
        portal=portal,
        event="procedure.updated",
        change_id=1,
        body="{}",
        status=DeliveryStatus.FAILED,
        attempts=8,
        last_error="HTTP 502: Bad Gateway",
    )


def test_the_log_shows_status_attempts_and_error(admin_client, failed):
    response = admin_client.get(reverse("wagtailsnippets_portals_delivery:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "HTTP 502: Bad Gateway" in page
    assert "Cổng Sở Tư pháp" in page


def test_an_operator_retries_a_failed_delivery(
    admin_client, failed, django_capture_on_commit_callbacks
):
    url = (
        reverse("wagtail_bulk_action", args=("portals", "delivery", "retry"))
        + f"?id={failed.pk}&next=/admin/"
    )
    assert admin_client.get(url).status_code == 200  # the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.PENDING, 0)
    assert DBTaskResult.objects.filter(args_kwargs__args=[str(failed.pk)]).exists()


def test_a_portal_is_registered_with_a_generated_key_and_secret(admin_client, db):
    response = admin_client.get(reverse("wagtailsnippets_portals_portal:add"))
    assert response.status_code == 200
    portal = Portal.objects.create(name="Cổng UBND xã")
    assert len(portal.api_key) >= 32 and len(portal.webhook_secret) >= 32
    assert portal.api_key != Portal.objects.create(name="Khác").api_key
