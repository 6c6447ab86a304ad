"""Conditional GET for the feed's lists, decided before anything is built.

Every change of the public catalogue writes the change log (catalog.changes), so its latest
entry is the catalogue's version: a list's ETag is that version with the request that asked
(host, path, query, format, language), and a portal that already holds it gets a 304 after two small
queries instead of a page of records."""

import datetime
import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from ..models import ProcedureChange
from ..records import catalogue_last_changed

# How long a portal or a proxy may reuse a list before asking again (conditionally).
MAX_AGE = 60
CURSOR_HEADER = "X-Changes-Cursor"


def _format(request: HttpRequest) -> str:
    """The format the answer is in (json, jsonld, csv), chosen by ?format= or by Accept: the
    same query in two formats is two versions."""
    renderer = getattr(request, "accepted_renderer", None)
    return getattr(renderer, "format", "") or ""


class CatalogueVersion:
    """The latest change's id (the cursor a portal syncs on from) and when anything a record
    shows last changed."""

    def __init__(self) -> None:
        latest = ProcedureChange.objects.order_by("-id").values_list("id", "at").first()
        self.cursor, changed_at = latest or (0, None)
        moments = [changed_at, catalogue_last_changed()]
        self.last_modified: datetime.datetime | None = max(filter(None, moments), default=None)

    def etag(self, request: HttpRequest) -> str:
        asked = "|".join(
            [
                request.get_host(),
                request.path,
                request.META.get("QUERY_STRING", ""),
                _format(request),
                translation.get_language() or "",
                str(self.cursor),
                self.last_modified.isoformat() if self.last_modified else "",
            ]
        )
        return quote_etag(hashlib.sha256(asked.encode()).hexdigest()[:32])

    def not_modified(self, request: HttpRequest) -> HttpResponse | None:
        """The 304 when the client holds this version of the list, else None."""
        response = get_conditional_response(
            request, etag=self.etag(request), last_modified=self._timestamp()
        )
        return self.stamp(request, response) if response is not None else None

    def stamp(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response["ETag"] = self.etag(request)
        if self.last_modified:
            response["Last-Modified"] = http_date(self._timestamp())
        response[CURSOR_HEADER] = str(self.cursor)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    def _timestamp(self) -> int | None:
        return int(self.last_modified.timestamp()) if self.last_modified else None
