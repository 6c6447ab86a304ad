"""SearchResults from Elasticsearch's responses: hits, facets, the suggestion; highlights and
snippets are search.text's, as for the database backend."""

from ... import text
from ..base import FACETS, FacetValue, Hit, SearchResults, facet_label


def facets_from(aggregations: dict) -> dict[str, list[FacetValue]]:
    """FacetValue lists from the aggregations FacetedSearch adds (`_filter_<facet>.<facet>`)."""
    result = {}
    for facet in FACETS:
        buckets = aggregations.get(f"_filter_{facet}", {}).get(facet, {}).get("buckets", [])
        values = []
        for bucket in buckets:
            value = bucket["key"]
            labels = bucket.get("label", {}).get("buckets", [])
            label = facet_label(facet, value, labels[0]["key"] if labels else None)
            values.append(FacetValue(str(value), label, int(bucket["doc_count"])))
        result[facet] = sorted(values, key=lambda f: (-f.count, f.label))
    return result


def _total(hits: dict) -> int:
    total = hits.get("total", 0)
    return int(total.get("value", 0) if isinstance(total, dict) else total)


def results_from(body: dict, parsed: text.ParsedQuery, backend: str) -> SearchResults:
    """SearchResults from a search response body."""
    hits = []
    for raw in body.get("hits", {}).get("hits", []):
        source = raw.get("_source", {})
        title = source.get("title", "")
        hits.append(
            Hit(
                id=int(source["id"]),
                code=source.get("code", ""),
                province=source.get("province", ""),
                title=title,
                url=source.get("url", ""),
                agency=source.get("agency_name", ""),
                field=source.get("field_name", ""),
                level=source.get("level") or 0,
                status=source.get("status", ""),
                score=float(raw.get("_score") or 0.0),
                highlight=text.highlight(title, parsed),
                snippet=text.snippet(source.get("body", ""), parsed),
            )
        )
    total = _total(body.get("hits", {}))
    suggestion = None
    if total == 0:
        for entry in body.get("suggest", {}).get("did_you_mean", []):
            for option in entry.get("options", []):
                if option.get("text") and option["text"] != parsed.folded:
                    suggestion = option["text"]
                    break
            if suggestion:
                break
    return SearchResults(
        hits=hits,
        total=total,
        facets=facets_from(body.get("aggregations", {})),
        suggestion=suggestion,
        backend=backend,
    )


def response_body(response) -> dict:
    """The JSON of a client response (ObjectApiResponse, dsl Response or a plain dict)."""
    if hasattr(response, "to_dict"):
        return response.to_dict()
    return dict(getattr(response, "body", response) or {})
