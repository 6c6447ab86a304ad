"""The site's own pages: help on online levels and on searching, the site map, robots.txt."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Site

from catalog.levels import LEVEL_2022_LABELS, LEVEL_DESCRIPTIONS, Level
from catalog.models import AgencyPage, Field, LifeEvent, ProvincePage, in_reading_order
from cms.ordering import by_shown


@require_safe
def help_levels(request: HttpRequest) -> HttpResponse:
    levels = [
        {
            "number": level.value,
            "label": level.label,
            "description": LEVEL_DESCRIPTIONS[level.value],
            "label_2022": LEVEL_2022_LABELS[level.value],
        }
        for level in Level
    ]
    context = {"title": _("Các mức độ dịch vụ công trực tuyến"), "levels": levels}
    return render(request, "help/levels.html", context)


@require_safe
def help_search(request: HttpRequest) -> HttpResponse:
    return render(request, "help/search.html", {"title": _("Cách tìm kiếm thủ tục")})


def site_root(request: HttpRequest):
    """The root page of the request's Wagtail site (a province's portal shows only its own)."""
    site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
    return site.root_page


@require_safe
def site_map(request: HttpRequest) -> HttpResponse:
    root = site_root(request)
    provinces = list(
        ProvincePage.objects.live()
        .public()
        .descendant_of(root, inclusive=True)
        .order_by(by_shown("title"))
    )
    agencies = AgencyPage.objects.live().public().descendant_of(root).order_by(by_shown("title"))
    by_province: dict[int, list[AgencyPage]] = {}
    for agency in agencies.only("id", "title", "url_path", "path", "depth", "province_id"):
        by_province.setdefault(agency.province_id, []).append(agency)
    context = {
        "title": _("Sơ đồ trang"),
        "provinces": [(province, by_province.get(province.pk, [])) for province in provinces],
        "fields": in_reading_order(Field.objects.all()),
        "life_events": in_reading_order(LifeEvent.objects.all()),
    }
    return render(request, "help/site_map.html", context)


ROBOTS_DISALLOW = (
    "/admin/",
    "/api/v1/search/",
    "/api/v1/suggest/",
    # The search page is listed in the sitemap; its endless result pages are not worth crawling.
    "/tim-kiem/?",
    "/en/tim-kiem/?",
)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
