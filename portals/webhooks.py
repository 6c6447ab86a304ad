"""Webhook deliveries: one per portal and change in its scope, signed, sent by the task queue
(django-tasks; the database backend by default, so `make run` needs only its worker), retried
with exponential backoff, logged in the admin.

Body: {"delivery": id, "event": "procedure.updated", "change": <the item of changes/>}.
Headers: X-Signature-256: sha256=<hex HMAC-SHA256 of the body with the portal's secret>,
X-Delivery-Id, X-Event. A receiver verifies the signature, and may use the delivery id to
ignore a repeat."""

import datetime
import hashlib
import hmac
import json
import urllib.error

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from catalog.api.changes import change_items
from catalog.models import ProcedureChange

from .models import Delivery, DeliveryStatus, Portal
from .outbound import RefusedURL, post

BACKEND = "webhooks"
EVENTS = {
    "created": "procedure.published",
    "updated": "procedure.updated",
    "abolished": "procedure.abolished",
    "deleted": "procedure.deleted",
}


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def queue_deliveries(change_ids: list[int]) -> list[Delivery]:
    """Deliveries of these logged changes to every active portal whose scope they are in."""
    portals = list(Portal.objects.filter(active=True).exclude(webhook_url=""))
    if not portals:
        return []
    changes = list(ProcedureChange.objects.filter(id__in=change_ids).order_by("id"))
    deliveries = []
    for change, item in zip(changes, change_items(changes), strict=True):
        for portal in portals:
            if portal.wants(change.province, change.agency, change.previous_agency):
                deliveries.append(_delivery(portal, change, item))
    Delivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        transaction.on_commit(
            lambda pk=delivery.pk: deliver.using(backend=BACKEND).enqueue(str(pk))
        )
    return deliveries


def _delivery(portal: Portal, change: ProcedureChange, item: dict) -> Delivery:
    delivery = Delivery(portal=portal, event=EVENTS[change.kind], change_id=change.id)
    body = {"delivery": str(delivery.id), "event": delivery.event, "change": item}
    delivery.body = json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False)
    return delivery


@task(backend=BACKEND)
def deliver(delivery_id: str) -> str:
    """One attempt; a failure schedules the next one, until settings' last."""
    delivery = Delivery.objects.select_related("portal").get(pk=delivery_id)
    if delivery.status == DeliveryStatus.DELIVERED:
        return delivery.status
    delivery.attempts += 1
    try:
        answer = post(delivery.portal.webhook_url, delivery.body.encode(), _headers(delivery))
        delivery.last_status_code, error = answer.status, _error_of(answer)
    except (RefusedURL, urllib.error.URLError, OSError) as failure:
        delivery.last_status_code, error = None, str(getattr(failure, "reason", failure))
    if error:
        _failed(delivery, error)
    else:
        delivery.status, delivery.last_error = DeliveryStatus.DELIVERED, ""
        delivery.delivered_at, delivery.next_attempt_at = timezone.now(), None
    delivery.save()
    return delivery.status


def retry(delivery: Delivery) -> None:
    """An operator's retry from the admin: again from the first attempt's delay."""
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.PENDING, 0, None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(lambda: deliver.using(backend=BACKEND).enqueue(str(delivery.pk)))


def _headers(delivery: Delivery) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "thutuc-webhooks/1",
        "X-Delivery-Id": str(delivery.id),
        "X-Event": delivery.event,
        "X-Signature-256": signature(delivery.portal.webhook_secret, delivery.body.encode()),
    }


def _error_of(answer) -> str:
    return "" if 200 <= answer.status < 300 else f"HTTP {answer.status}: {answer.text[:500]}"


def _failed(delivery: Delivery, error: str) -> None:
    delivery.last_error = error
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        return
    delay = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (delivery.attempts - 1)
    delivery.status = DeliveryStatus.RETRYING
    delivery.next_attempt_at = timezone.now() + datetime.timedelta(seconds=delay)
    run_after = delivery.next_attempt_at
    transaction.on_commit(
        lambda: deliver.using(backend=BACKEND, run_after=run_after).enqueue(str(delivery.pk))
    )
