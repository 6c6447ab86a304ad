"""The catalogue member portals embed: /embed/catalog/ (an HTML page for an iframe) and
/embed/widget.js (a script that renders the list inside the portal's own page from the API).

The page lists one agency's procedures through catalog.listing, or, with a query, through the
search service, as the site's own pages do. It sets no cookie, and only the origins the
province's portal settings name may frame it."""

from dataclasses import dataclass
from pathlib import Path

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import urlencode
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from wagtail.models import Site

from catalog.levels import level_label
from catalog.listing import PER_PAGE, build_listing
from catalog.models import AgencyPage, ProcedurePage
from catalog.models.procedure import falls_back_to_vietnamese
from cms.models import PortalSettings
from cms.text import normalise_text
from search.api import SearchParams
from search.backends.base import MAX_PAGED_RESULTS, Hit
from search.service import run_search

LANGUAGES = ("vi", "en")
# What the page's own links (search form, pages) carry on.
KEPT = ("agency", "field", "tier", "level", "lang", "q")
SEARCH_FILTERS = ("field", "tier", "level")
WIDGET = Path(__file__).resolve().parent / "static" / "js" / "widget.js"
WIDGET_CACHE_SECONDS = 3600


@dataclass
class Entry:
    """One procedure as the embedded list shows it."""

    title: str
    url: str
    code: str
    field: str
    level_label: str
    abolished: bool
    title_lang: str = ""  # "vi" when an English page shows the Vietnamese title


@dataclass
class Results:
    entries: list[Entry]
    total: int
    page: Page
    ignored_filters: bool  # a filter value was invalid and left out


def embed_language(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in LANGUAGES else "vi"


def find_agency(request: HttpRequest, code: str) -> AgencyPage | None:
    """The live agency with this code (case ignored), in the site's province on a province's
    own portal."""
    if not code.strip():
        return None
    agencies = AgencyPage.objects.live().public().filter(code__iexact=code.strip())
    site = Site.find_for_request(request)
    if site is not None:
        agencies = agencies.descendant_of(site.root_page, inclusive=True)
    return agencies.order_by("path").first()


def frame_ancestors(request: HttpRequest, agency: AgencyPage | None) -> str:
    """The CSP that lets this site and the origins of the portal settings of the agency's
    site (the request's when unknown) frame the page."""
    site = (agency.get_site() if agency else None) or Site.find_for_request(request)
    origins = PortalSettings.for_site(site).embed_origins if site else []
    return " ".join(["frame-ancestors 'self'", *origins])


def kept_query(request: HttpRequest) -> dict[str, str]:
    values = {key: normalise_text(request.GET.get(key, ""))[:200] for key in KEPT}
    return {key: value for key, value in values.items() if value}


def absolute(request: HttpRequest, url: str) -> str:
    """Links leave the frame for the main site: an address relative to it would do, but an
    absolute one also survives being copied out of the frame."""
    return request.build_absolute_uri(url) if url else ""


def listing_entry(request: HttpRequest, procedure: ProcedurePage, language: str) -> Entry:
    return Entry(
        title=procedure.title,
        url=absolute(request, procedure.get_url(request) or ""),
        code=procedure.code,
        field=procedure.field.name if procedure.field else "",
        level_label=procedure.level_label,
        abolished=procedure.is_abolished,
        title_lang="vi" if falls_back_to_vietnamese(procedure, "title", language) else "",
    )


def hit_entry(request: HttpRequest, hit: Hit) -> Entry:
    return Entry(
        title=hit.title,
        url=absolute(request, hit.url),
        code=hit.code,
        field=hit.field,
        level_label=level_label(hit.level),
        abolished=hit.status == "abolished",
    )


def listed(request: HttpRequest, agency: AgencyPage, language: str) -> Results:
    """The agency's procedures, filtered and paged by the request's parameters."""
    listing = build_listing(request, agency.listed_procedures(), agency.listing_tiers)
    entries = [listing_entry(request, p, language) for p in listing.procedures]
    return Results(entries, listing.total, listing.page, listing.form.has_invalid)


def search_values(request: HttpRequest, q: str) -> tuple[dict, bool]:
    """The search's valid filters and page, and whether an invalid filter was left out (as the
    listing leaves it out)."""
    data = {key: request.GET[key] for key in (*SEARCH_FILTERS, "page") if request.GET.get(key)}
    params = SearchParams(data={**data, "q": q, "page_size": PER_PAGE})
    if params.is_valid():
        return params.validated_data, False
    invalid = set(params.errors)
    valid = {key: value for key, value in data.items() if key not in invalid}
    params = SearchParams(data={**valid, "q": q, "page_size": PER_PAGE})
    params.is_valid(raise_exception=True)
    return params.validated_data, bool(invalid - {"page"})


def searched(request: HttpRequest, agency: AgencyPage, q: str) -> Results:
    """The search service's ranked answer within the agency, best bets of its own first."""
    values, ignored = search_values(request, q)
    last_page = max(1, MAX_PAGED_RESULTS // PER_PAGE)
    values["page"] = min(values["page"], last_page)
    province = agency.province.code if agency.province else ""
    found = run_search(request, **values, agency=agency.code, province=province)
    own_bets = set(
        agency.procedures.filter(pk__in=[h.id for h in found.best_bets]).values_list(
            "pk", flat=True
        )
    )
    hits = [h for h in found.best_bets if h.id in own_bets] + found.hits
    paged = Paginator(range(min(found.total, MAX_PAGED_RESULTS)), PER_PAGE)
    page = paged.get_page(values["page"])
    return Results([hit_entry(request, h) for h in hits], found.total, page, ignored)


def framed(request: HttpRequest, response: HttpResponse, agency: AgencyPage | None, lang: str):
    response["Content-Security-Policy"] = frame_ancestors(request, agency)
    response["Content-Language"] = lang
    return response


@require_safe
@xframe_options_exempt
def embed_catalog(request: HttpRequest) -> HttpResponse:
    lang = embed_language(request)
    with translation.override(lang):
        agency = find_agency(request, request.GET.get("agency", ""))
        if agency is None:
            response = render(request, "embed/not_found.html", {"lang": lang}, status=404)
            return framed(request, response, None, lang)
        query = kept_query(request)
        q = query.get("q", "")
        results = searched(request, agency, q) if q else listed(request, agency, lang)
        unsearched = {key: value for key, value in query.items() if key != "q"}
        context = {
            "agency": agency,
            "lang": lang,
            "q": q,
            "hidden": unsearched,
            "query": urlencode(query),
            "unsearched": urlencode(unsearched),
            "results": results,
        }
        response = render(request, "embed/catalog.html", context)
    return framed(request, response, agency, lang)


@require_safe
def embed_widget(request: HttpRequest) -> HttpResponse:
    """The widget's script at a fixed address portals copy once (ConditionalGet gives it an
    ETag, so a changed script reaches them within the hour)."""
    response = HttpResponse(WIDGET.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={WIDGET_CACHE_SECONDS}"
    return response
