"""The public search results page (plain HTML, works without JavaScript)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode

from .api import SearchParams
from .backends.base import MAX_PAGED_RESULTS
from .service import run_search

FILTERS = ("agency", "field", "tier", "level", "status")


def search_page(request):
    params = SearchParams(data=request.GET)
    valid = params.is_valid()
    values = params.validated_data if valid else {"q": request.GET.get("q", "")[:200]}
    page_size = values.get("page_size", 20)
    if valid:  # no page past the results a search pages through
        last_page = max(1, MAX_PAGED_RESULTS // page_size)
        values["page"] = min(values.get("page", 1), last_page)
    results = run_search(request, **values) if valid and values.get("q", "").strip() else None
    pages = None
    if results is not None and results.total > page_size:
        paged = min(results.total, MAX_PAGED_RESULTS)
        pages = Paginator(range(paged), page_size).get_page(values.get("page", 1))
    kept = ("q", *FILTERS, "page_size")
    base = {k: v for k, v in values.items() if k in kept and v not in ("", None)}
    if base.get("page_size") == 20:
        del base["page_size"]
    return render(
        request,
        "search/results.html",
        {
            "q": values.get("q", ""),
            "results": results,
            "pages": pages,
            "active": base,
            "facet_links": facet_links(results, base) if results else {},
            "query_string": urlencode(base),
            "errors": params.errors if not valid else None,
        },
    )


def facet_links(results, base: dict) -> dict:
    """For each facet value: a link that adds (or, when active, removes) it as a filter."""
    links = {}
    for facet, values in results.facets.items():
        links[facet] = []
        for value in values:
            active = str(base.get(facet, "")) == value.value
            params = {k: v for k, v in base.items() if k != facet}
            if not active:
                params[facet] = value.value
            links[facet].append({"value": value, "active": active, "href": "?" + urlencode(params)})
    return links
