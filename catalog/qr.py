"""The QR code of a procedure page, printed on one-stop counters' notices: an SVG of the page's
absolute URL in the asked language, kept in Django's cache and by browsers for a day."""

import hashlib
import io

import segno
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control

from .models import ProcedurePage

ONE_DAY = 24 * 60 * 60


def qr_svg(url: str) -> str:
    """The URL as a standalone SVG; error correction M survives a smudged printout."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer,
        kind="svg",
        scale=4,
        border=2,
        dark="#000",
        light="#fff",
        xmldecl=False,
        omitsize=True,
    )
    return buffer.getvalue().decode()


def cache_key(url: str) -> str:
    """The URL is the key: a moved or renamed page gets a new code at once."""
    return "procedure-qr:" + hashlib.sha256(url.encode()).hexdigest()


def _language(request: HttpRequest) -> str:
    language = request.GET.get("lang", settings.LANGUAGE_CODE)
    if language not in dict(settings.LANGUAGES):
        raise Http404("unknown language")
    return language


def procedure_qr(request: HttpRequest, page_id: int) -> HttpResponse:
    language = _language(request)
    page = get_object_or_404(ProcedurePage.objects.live().public(), pk=page_id)
    with translation.override(language):
        url = request.build_absolute_uri(page.url)
    key = cache_key(url)
    svg = cache.get(key)
    if svg is None:
        svg = qr_svg(url)
        cache.set(key, svg, ONE_DAY)
    etag = '"' + hashlib.sha256(svg.encode()).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        svg, content_type="image/svg+xml"
    )
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=ONE_DAY)
    return response
