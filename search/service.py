"""What the search page and the API share: scoping to the site's province, best bets first,
and one more search in the day's query counts."""

import logging

from django.db import DatabaseError, transaction
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from wagtail.contrib.search_promotions.models import SearchPromotion

from catalog.models import ProcedurePage
from catalog.records import site_province

from . import text
from .backends import search, suggest
from .backends.base import Hit, SearchQuery, SearchResults, Suggestion
from .models import DailyQueryCount

logger = logging.getLogger(__name__)


def run_search(request: HttpRequest, q: str = "", **filters) -> SearchResults:
    province = site_province(request)
    if province is not None:
        filters["province"] = province.code
    query = SearchQuery(text=q, **{k: v for k, v in filters.items() if v not in ("", None)})
    results = search(query)
    if query.page == 1:
        results.best_bets = best_bets(q, query.province)
        pinned = {h.id for h in results.best_bets}
        results.hits = [h for h in results.hits if h.id not in pinned]
    if q.strip():
        log_query(q, query.province, results)
    language = translation.get_language()
    in_language([*results.best_bets, *results.hits], q, language)
    return results


def in_language(hits: list[Hit], q: str, language: str) -> None:
    """On the English site: the English title, agency and field names where editors gave them,
    and the English page. Every backend indexes and ranks in Vietnamese; this is presentation."""
    if language != "en" or not hits:
        return
    names = english_names({hit.code for hit in hits})
    parsed = text.parse_query(q)
    for hit in hits:
        title, agency, field = names.get((hit.province or None, hit.code), ("", "", ""))
        if title:
            hit.title = title
            hit.highlight = text.highlight(hit.title, parsed)
        hit.agency, hit.field = agency or hit.agency, field or hit.field
        hit.url = english_url(hit.url)


def english_url(url: str) -> str:
    """The English address of a page's (Vietnamese) URL: resolved as Vietnamese, reversed as
    English (/en/…); unchanged when it is not one of this site's pages."""
    if not url:
        return url
    with translation.override("vi"):
        return translate_url(url, "en")


def run_suggest(request: HttpRequest, q: str, province: str | None) -> list[Suggestion]:
    site = site_province(request)
    suggestions = suggest(q, site.code if site is not None else province)
    if translation.get_language() == "en" and suggestions:
        names = english_names({s.code for s in suggestions})
        for suggestion in suggestions:
            title = names.get((suggestion.province, suggestion.code), ("",))[0]
            suggestion.title = title or suggestion.title
            suggestion.url = english_url(suggestion.url)
    return suggestions


def english_names(codes: set[str]) -> dict[tuple[str | None, str], tuple[str, str, str]]:
    """(province, code) → the English title, agency and field names editors gave ("" where
    they gave none), for the procedures with these codes."""
    rows = ProcedurePage.objects.filter(code__in=codes).values_list(
        "province__code", "code", "full_title_en", "title_en", "agency__title_en", "field__name_en"
    )
    return {
        (province, code): (full_title or title, agency or "", field or "")
        for province, code, full_title, title, agency, field in rows
    }


def best_bets(q: str, province: str | None) -> list[Hit]:
    """The procedures editors promoted for this query (Wagtail's search promotions, whose
    queries search.promotions saves folded), in their order. One limited to a province
    answers that province's searches only; any shows only procedures of the searched one."""
    folded = text.fold(q)
    if not folded:
        return []
    promotions = list(
        SearchPromotion.objects.filter(query__query_string=folded, page__live=True)
        .select_related("scope__province")
        .order_by("sort_order", "pk")
    )
    procedures = ProcedurePage.objects.select_related("agency", "field", "province").in_bulk(
        [promotion.page_id for promotion in promotions]
    )
    hits = []
    for promotion in promotions:
        page = procedures.get(promotion.page_id)
        scope = getattr(promotion, "scope", None)
        if page is None:
            continue  # an external link or another page, promoted other than by our form
        if scope is not None and scope.province.code != province:
            continue
        if province and page.province and page.province.code != province:
            continue
        hits.append(promoted_hit(page))
    return hits


def promoted_hit(page: ProcedurePage) -> Hit:
    return Hit(
        id=page.pk,
        code=page.code,
        province=page.province.code if page.province else "",
        title=page.official_title,
        url=page.get_url() or "",
        agency=page.agency.title if page.agency else "",
        field=page.field.name if page.field else "",
        level=page.level,
        status=page.status,
        score=0,
    )


def log_query(q: str, province: str | None, results: SearchResults) -> None:
    """Counts the search (a best bet answers it too). The search views run outside a request
    transaction, so this is a short write of its own; it waits for the lock rather than fail
    (cms.settings.base), and should it fail all the same, the search is still answered."""
    try:
        with transaction.atomic():
            DailyQueryCount.add_hit(
                folded_query=text.parse_query(q).folded[:200],
                province=province or "",
                backend=results.backend,
                results=results.total + len(results.best_bets),
            )
    except DatabaseError:
        logger.warning("A search was not counted in the analytics", exc_info=True)
