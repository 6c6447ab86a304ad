"""Daily page views of procedures, for the home page's most viewed procedures.

A procedure page's response names its procedure in a header (the `on_serve_page` hook of
catalog/wagtail_hooks.py), which a page cache stores with the response. This middleware runs
first in MIDDLEWARE, so it sees every response, from the view or from a cache: it counts a GET
answered 200 or 304 to a client that does not say it is a robot, and removes the header.

Views are added up in the worker's memory and written together (`VIEW_COUNTS_FLUSH_EVERY` views
or 30 seconds, whichever comes first, and when the worker exits): a page the cache serves in a
millisecond should not wait for a database write, which on SQLite queues behind every other
worker's. A worker that is killed loses at most those unwritten views.
"""

import atexit
import datetime
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .models import ProcedurePage, ProcedureViewDay

PROCEDURE_HEADER = "X-Procedure-Id"
COUNTED_STATUSES = {200, 304}
# What crawlers, link checkers and scripted clients put in their User-Agent; an empty one too.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|preview|monitor|curl|wget|python|httpclient|headless|lighthouse",
    re.IGNORECASE,
)
MOST_VIEWED_DAYS = 30
FLUSH_EVERY_SECONDS = 30
logger = logging.getLogger(__name__)


def is_bot(request: HttpRequest) -> bool:
    agent = request.headers.get("User-Agent", "")
    return not agent or bool(BOT_PATTERN.search(agent))


def count_views(procedure_id: int, day: datetime.date, views: int = 1) -> None:
    """Add views of a procedure on a day: an atomic increment, no read-modify-write."""
    rows = ProcedureViewDay.objects.filter(procedure_id=procedure_id, day=day)
    if not rows.update(count=F("count") + views):
        row, created = ProcedureViewDay.objects.get_or_create(
            procedure_id=procedure_id, day=day, defaults={"count": views}
        )
        if not created:
            rows.update(count=F("count") + views)


class PendingViews:
    """The views a worker has counted and not yet written, by procedure and day."""

    def __init__(self):
        self.views: Counter[tuple[int, datetime.date]] = Counter()
        self.last_written = time.monotonic()
        self.lock = threading.Lock()  # a threaded worker counts from several threads

    def add(self, procedure_id: int) -> None:
        with self.lock:
            self.views[procedure_id, timezone.localdate()] += 1
            due = (
                self.views.total() >= settings.VIEW_COUNTS_FLUSH_EVERY
                or time.monotonic() - self.last_written >= FLUSH_EVERY_SECONDS
            )
        if due:
            self.write()

    def write(self) -> None:
        with self.lock:
            views, self.views = self.views, Counter()
            self.last_written = time.monotonic()
        if not views:
            return
        try:
            with transaction.atomic():
                for (procedure_id, day), count in sorted(views.items()):
                    count_views(procedure_id, day, count)
        except DatabaseError:
            # Lost counts (a locked database, a procedure deleted meanwhile) must not cost the
            # citizen the page.
            logger.warning("%d procedure views not counted", views.total(), exc_info=True)


pending_views = PendingViews()
atexit.register(pending_views.write)


class ProcedureViewsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        procedure_id = response.get(PROCEDURE_HEADER)
        if procedure_id is not None:
            del response[PROCEDURE_HEADER]
        if (
            procedure_id
            and procedure_id.isdigit()
            and request.method == "GET"
            and response.status_code in COUNTED_STATUSES
            and not is_bot(request)
        ):
            pending_views.add(int(procedure_id))
        return response


def most_viewed(
    procedures: QuerySet[ProcedurePage], limit: int = 5, days: int = MOST_VIEWED_DAYS
) -> list[ProcedurePage]:
    """The most viewed of `procedures` over the last `days` days, most viewed first."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    top = (
        ProcedureViewDay.objects.filter(day__gte=since, procedure__in=procedures)
        .values("procedure")
        .annotate(views=Sum("count"))
        .order_by("-views", "procedure")[:limit]
    )
    views = {row["procedure"]: row["views"] for row in top}
    pages = procedures.filter(pk__in=views).prefetch_related("agency")
    return sorted(pages, key=lambda page: (-views[page.pk], page.pk))
