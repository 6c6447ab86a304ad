"""The service worker that keeps opened procedure pages for reading without a connection. It is
served from the site root, not /static/, so that its scope covers every page."""

from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse

WORKER = "js/sw.js"


@cache
def _worker_source() -> str:
    with open(finders.find(WORKER), encoding="utf-8") as script:
        return script.read()


def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_worker_source(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker at most daily anyway; an hour lets a fix reach them soon.
    response["Cache-Control"] = "public, max-age=3600"
    return response
