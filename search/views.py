"""The public search results page (plain HTML, works without JavaScript)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from .api import SearchParams
from .backends.base import MAX_PAGED_RESULTS, STATUS_ACTIVE, STATUS_ALL, SearchResults
from .service import run_search

FILTERS = ("agency", "field", "tier", "level", "status")
DEFAULTS = {"status": STATUS_ACTIVE, "page_size": 20}


def search_page(request: HttpRequest) -> HttpResponse:
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
    base = kept_parameters(values)
    return render(
        request,
        "search/results.html",
        {
            "q": values.get("q", ""),
            "results": results,
            "pages": pages,
            "active": base,
            "facet_links": facet_links(results, base) if results else {},
            "filter_links": filter_links(base),
            "query_string": urlencode(base),
            "errors": params.errors if not valid else None,
        },
    )


def kept_parameters(values: dict) -> dict:
    """What the page's links carry on: the query, the filters and the page size, each only when
    it differs from its default (so that the plain search has the plain address)."""
    kept = ("q", *FILTERS, "page_size")
    return {
        key: value
        for key, value in values.items()
        if key in kept and value not in ("", None) and DEFAULTS.get(key) != value
    }


def filter_links(base: dict) -> dict:
    """ "Clear filters" (the query alone) when a filter is on, and the link that takes abolished
    procedures in or, when they are in, out again."""
    query = {"q": base["q"]} if base.get("q") else {}
    without_status = {key: value for key, value in base.items() if key != "status"}
    filtered = any(key in FILTERS for key in base)
    return {
        "clear": "?" + urlencode(query) if filtered else "",
        "abolished_included": base.get("status") == STATUS_ALL,
        "abolished": "?" + urlencode(without_status | {"status": STATUS_ALL})
        if base.get("status") != STATUS_ALL
        else "?" + urlencode(without_status),
    }


def facet_links(results: SearchResults, base: dict) -> dict:
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
