"""Daily page views of procedures, for the home page's most viewed procedures.

A procedure page's response names its procedure in a header (the `on_serve_page` hook of
catalog/wagtail_hooks.py), which a page cache stores with the response. This middleware runs
first in MIDDLEWARE, so it sees every response, from the view or from a cache: it counts a GET
answered 200 or 304 to a client that does not say it is a robot, and removes the header.
"""

import datetime
import logging
import re
from collections.abc import Callable

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
logger = logging.getLogger(__name__)


def is_bot(request: HttpRequest) -> bool:
    agent = request.headers.get("User-Agent", "")
    return not agent or bool(BOT_PATTERN.search(agent))


def count_view(procedure_id: int, day: datetime.date | None = None) -> None:
    """One more view of this procedure today: an atomic increment, no read-modify-write."""
    day = day or timezone.localdate()
    updated = ProcedureViewDay.objects.filter(procedure_id=procedure_id, day=day).update(
        count=F("count") + 1
    )
    if not updated:
        row, created = ProcedureViewDay.objects.get_or_create(
            procedure_id=procedure_id, day=day, defaults={"count": 1}
        )
        if not created:
            ProcedureViewDay.objects.filter(pk=row.pk).update(count=F("count") + 1)


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
            try:
                with transaction.atomic():
                    count_view(int(procedure_id))
            except DatabaseError:
                # A lost count (a locked database) must not cost the citizen the page.
                logger.warning("procedure view not counted", exc_info=True)
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
