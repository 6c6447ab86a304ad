"""What the search page and the API share: scoping to the site's province, best bets first,
and a line in the query log."""

from django.http import HttpRequest

from catalog.records import site_province

from . import text
from .backends import search, suggest
from .backends.base import Hit, SearchQuery, SearchResults, Suggestion
from .models import BestBet, QueryLog


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
    return results


def run_suggest(request: HttpRequest, q: str, province: str | None) -> list[Suggestion]:
    site = site_province(request)
    return suggest(q, site.code if site is not None else province)


def best_bets(q: str, province: str | None) -> list[Hit]:
    folded = text.fold(q)
    if not folded:
        return []
    bets = BestBet.objects.filter(folded_query=folded, procedure__live=True).select_related(
        "procedure", "procedure__agency", "procedure__field", "procedure__province"
    )
    hits = []
    for bet in bets:
        page = bet.procedure
        if bet.province_id and bet.province.code != province:
            continue  # a province's bet applies to searches of that province only
        if province and page.province and page.province.code != province:
            continue
        hits.append(
            Hit(
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
        )
    return hits


def log_query(q: str, province: str | None, results: SearchResults) -> None:
    parsed = text.parse_query(q)
    QueryLog.objects.create(
        folded_query=parsed.folded[:200],
        query=parsed.raw[:200],
        province=province or "",
        results=results.total + len(results.best_bets),
        backend=results.backend,
    )
