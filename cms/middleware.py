"""Request-wide middleware of the project room."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# In the page cache: when what the pages show last changed. Every purge of that cache
# (frontend/cache.py) forgets it, and the next page rendered sets it to its own time.
CONTENT_CHANGED_KEY = "content-changed-at"


def content_changed_at() -> datetime.datetime:
    """No earlier than the last change of anything a page shows (an agency, a field, a form):
    the time of the first page rendered since the last purge, or since the cache was empty."""
    pages = caches[settings.WAGTAIL_CACHE_BACKEND]
    return pages.get_or_set(CONTENT_CHANGED_KEY, timezone.now, timeout=None)


class AtomicWritesMiddleware:
    """Django's ATOMIC_REQUESTS for the requests that change something (POST, PUT, PATCH,
    DELETE): all of it is written, or, when the view raises, nothing.

    Reads run without a request transaction. On SQLite (immediate transactions, see
    cms.settings.base) a request transaction takes the write lock when it begins, so reads in
    one would queue behind each other across workers; their incidental writes (a search's daily
    count, a form's download count) are short transactions of their own instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in READ_METHODS:
            return self.get_response(request)
        with transaction.atomic():
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """The view raised: undo what it wrote (Django turns the exception into an error
        response before it reaches __call__, so the atomic block would otherwise commit)."""
        if request.method not in READ_METHODS:
            transaction.set_rollback(True)


class PageCacheHeadersMiddleware:
    """Says who may keep an HTML page: anyone for PAGE_CACHE_SECONDS when the visitor is
    anonymous and the page sets no cookie (browsers, proxies and the page cache alike), only the
    visitor's own browser, revalidating each time, when logged in (the Wagtail userbar and
    admin links make that page the editor's own). A view that set Cache-Control decides alone.

    Every HTML page is served under i18n_patterns, whose path alone says the language (/ is
    Vietnamese, /en/ English), so LocaleMiddleware's Vary: Accept-Language would only split each
    page's cached copy by browser language.

    A Wagtail page also gets Last-Modified (its last publication, or the last change of what it
    shows when later: content_changed_at), so a cache that only sends If-Modified-Since gets a
    304 too, and only while the page is unchanged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not (
            request.method in ("GET", "HEAD")
            and response.status_code in (200, 404)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        if not response.has_header("Cache-Control"):
            self.mark(request, response)
        if "public" in response["Cache-Control"]:  # also a page served from the page cache
            drop_vary(response, "Accept-Language")
        return response

    @staticmethod
    def mark(request: HttpRequest, response: HttpResponse) -> None:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.cookies:
            patch_cache_control(response, private=True, no_cache=True)
            return
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_SECONDS)
        page = (getattr(response, "context_data", None) or {}).get("page")
        published = getattr(page, "last_published_at", None)
        if published and not response.has_header("Last-Modified"):
            # A page shows more than itself: its own date alone would answer 304 to a client
            # that only sends If-Modified-Since after its agency was renamed.
            modified = max(published, content_changed_at())
            response["Last-Modified"] = http_date(modified.timestamp())


def drop_vary(response: HttpResponse, header: str) -> None:
    kept = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    kept = [v for v in kept if v.lower() != header.lower()]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif response.has_header("Vary"):
        del response["Vary"]


class RefuseNullCharactersMiddleware:
    """A NUL character in the query string is refused with a 400 that names the parameter.

    PostgreSQL's text cannot hold one, so any view filtering by a parameter as given would
    answer 500; no code, name or query of the catalogue contains one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = next((key for key, value in _query_items(request) if "\x00" in key + value), None)
        if name is None:
            return self.get_response(request)
        message = _("Tham số “%(name)s” chứa ký tự NUL, không hợp lệ.") % {
            "name": name.replace("\x00", "")
        }
        if request.path.startswith("/api/"):
            return JsonResponse({name.replace("\x00", ""): [message]}, status=400)
        return render(request, "400.html", {"message": message}, status=400)


def _query_items(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, value) for key, values in request.GET.lists() for value in values]
