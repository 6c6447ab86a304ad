"""The Elasticsearch backend without a server: its mapping, the requests it builds (to_dict), how it
reads responses, and how it manages indices and aliases, against a fake client that records calls.

The same backend runs the shared behaviour suite (test_behaviour.py) when ELASTICSEARCH_URL is set.
"""

import json
import re
import unicodedata
from types import SimpleNamespace

import elasticsearch
import pytest
from elasticsearch.helpers import BulkIndexError

from search import text
from search.backends.base import (
    MAX_PAGED_RESULTS,
    STATUS_ABOLISHED,
    STATUS_ALL,
    SearchQuery,
    SearchUnavailable,
)
from search.backends.elasticsearch import ElasticsearchBackend
from search.backends.elasticsearch import indices as es_indices
from search.backends.elasticsearch import mapping as es_mapping
from search.backends.elasticsearch import queries as es_queries
from search.backends.elasticsearch import results as es_results
from search.backends.elasticsearch.queries import build_query, build_suggest

BUILT_IN_FILTERS = {"lowercase", "asciifolding"}
CUSTOM_FILTER_TYPES = {"shingle"}
FILTER_FIELDS = {"status", "province", "agency_code", "field_code", "tiers", "level"}


# --- helpers -------------------------------------------------------------------------------------


def walk(node):
    """Every (key, value) pair of a JSON-like tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


TEXT_QUERIES = {"match", "match_phrase_prefix", "match_bool_prefix", "term", "prefix"}


def user_texts(body: dict) -> list[str]:
    """Every text of the request that came from the query box: the query of each (multi_)match,
    term and prefix clause, the highlight query's and the suggester's text."""
    found = []
    for key, value in walk(body):
        if key in TEXT_QUERIES:
            for spec in value.values():
                found.append(
                    spec if isinstance(spec, str) else spec.get("query", spec.get("value"))
                )
        elif key == "multi_match":
            found.append(value["query"])
        elif key == "did_you_mean":
            found.append(value["text"])
    return [str(t) for t in found]


def body_for(q: str, **kwargs) -> dict:
    return build_query(SearchQuery(q, **kwargs), phrases=kwargs.pop("phrases", None)).to_dict()


def scoring(body: dict) -> dict:
    """The scored part of a search body (function_score > bool)."""
    return body["query"]["bool"]["must"][0]["function_score"]["query"]["bool"]


def tiers(body: dict) -> list[dict]:
    return scoring(body)["must"][0]["dis_max"]["queries"]


def tier_fields(clause: dict) -> set[str]:
    """The fields a clause reads."""
    fields = set()
    for key, value in walk(clause):
        if key == "fields":
            fields |= {f.split("^")[0] for f in value}
        elif key in {"match", "match_phrase_prefix", "term", "prefix", "match_bool_prefix"}:
            fields |= set(value)
    return fields


def document(id=1, province="lam-dong", **overrides) -> dict:
    values = {
        "id": id,
        "code": f"1.{id:06d}",
        "province": province,
        "url": f"/{province}/{id}/",
        "status": "active",
        "level": 3,
        "tiers": ["province"],
        "agency_code": "SXD",
        "agency_name": "Sở Xây dựng",
        "field_code": "xay-dung",
        "field_name": "Xây dựng",
        "title": "Cấp giấy phép xây dựng",
        "title_en": "",
        "keywords": ["GPXD"],
        "keywords_en": [],
        "body": "Nộp hồ sơ tại Bộ phận một cửa.",
        "popularity": 0,
    }
    values.update(overrides)
    return values


def search_response(hits=(), total=None, aggregations=None, suggest=None) -> dict:
    hits = list(hits)
    return {
        "took": 1,
        "timed_out": False,
        "hits": {
            "total": {"value": len(hits) if total is None else total, "relation": "eq"},
            "max_score": None,
            "hits": hits,
        },
        "aggregations": aggregations or {},
        "suggest": suggest or {},
    }


def es_hit(id, title, highlight=None, score=1.0, **source):
    values = {
        "id": id,
        "code": f"1.{id:06d}",
        "province": "lam-dong",
        "title": title,
        "url": f"/p/{id}/",
        "agency_name": "Sở Tư pháp",
        "field_name": "Hộ tịch",
        "level": 2,
        "status": "active",
    }
    values.update(source)
    hit = {"_index": "thutuc-lam-dong-1", "_id": str(id), "_score": score, "_source": values}
    if highlight is not None:
        hit["highlight"] = {"title": [highlight]}
    return hit


class FakeIndices:
    def __init__(self, client):
        self.client = client

    def create(self, index, **body):
        self.client.record("indices.create", index=index, **body)
        self.client.state[index] = set(body.get("aliases", {}))

    def get_alias(self, index):
        self.client.record("indices.get_alias", index=index)
        if self.client.error_on_get_alias:
            raise self.client.error_on_get_alias
        return {
            name: {"aliases": {alias: {} for alias in sorted(aliases)}}
            for name, aliases in self.client.state.items()
            if index in aliases
        }

    def update_aliases(self, actions):
        self.client.record("indices.update_aliases", actions=actions)
        for action in actions:
            (kind, spec), *_ = action.items()
            aliases = self.client.state[spec["index"]]
            if kind == "add":
                aliases.add(spec["alias"])
            else:
                aliases.remove(spec["alias"])

    def refresh(self, index):
        self.client.record("indices.refresh", index=index)

    def delete(self, index, **kwargs):
        self.client.record("indices.delete", index=index, **kwargs)
        for name in index.split(","):
            self.client.state.pop(name, None)


class FakeClient:
    """Records every call; answers searches with `response`, or raises `error`."""

    def __init__(self, response=None, error=None, state=None, bulk_errors=False):
        self.calls: list[tuple[str, dict]] = []
        self.indices = FakeIndices(self)
        self.state: dict[str, set[str]] = {k: set(v) for k, v in (state or {}).items()}
        self.response = response if response is not None else search_response()
        self.error = error
        self.bulk_errors = bulk_errors
        self.error_on_get_alias = None

    def record(self, name, **kwargs):
        self.calls.append((name, kwargs))

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def call(self, name) -> dict:
        return next(kwargs for called, kwargs in self.calls if called == name)

    def search(self, **kwargs):
        self.record("search", **kwargs)
        if self.error:
            raise self.error
        return SimpleNamespace(body=self.response)

    def bulk(self, operations, **kwargs):
        self.record("bulk", operations=operations, **kwargs)
        actions = operations[::2]
        if self.bulk_errors:
            return {
                "errors": True,
                "items": [
                    {"index": {"status": 400, "error": {"type": "mapper_parsing_exception"}}}
                ],
            }
        return {"errors": False, "items": [{"index": {"status": 201}} for _ in actions]}

    def delete_by_query(self, **kwargs):
        self.record("delete_by_query", **kwargs)
        return {"deleted": 0}


def backend(client=None, synonyms=None) -> ElasticsearchBackend:
    return ElasticsearchBackend(
        "http://localhost:9200",
        client=client or FakeClient(),
        synonyms=synonyms or (lambda: []),
    )


# --- mapping -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def definition():
    return es_mapping.index_definition("thutuc-lam-dong-1").to_dict()


def test_analysis_uses_only_built_in_components(definition):
    analysis = definition["settings"]["analysis"]
    custom_filters = analysis.get("filter", {})
    assert {f["type"] for f in custom_filters.values()} <= CUSTOM_FILTER_TYPES
    for name, analyzer in analysis["analyzer"].items():
        assert analyzer["type"] == "custom", name
        assert analyzer["tokenizer"] == "standard", name
        assert set(analyzer["filter"]) <= BUILT_IN_FILTERS | set(custom_filters), name
    assert not analysis.get("tokenizer") and not analysis.get("char_filter")
    assert set(analysis["analyzer"]) == {"vi_exact", "vi_folded", "vi_bigrams", "vi_trigrams"}
    assert "asciifolding" not in analysis["analyzer"]["vi_exact"]["filter"]


def test_no_plugin_analysis_anywhere(definition):
    dumped = json.dumps(definition).lower()
    for plugin in ("icu", "kuromoji", "nori", "smartcn", "phonetic", "vi_analyzer"):
        assert plugin not in dumped


def test_mapping_has_exact_folded_shingle_and_autocomplete_fields(definition):
    properties = definition["mappings"]["properties"]
    assert properties["title_exact"]["analyzer"] == "vi_exact"
    assert properties["keywords_exact"]["analyzer"] == "vi_exact"
    folded = properties["title_folded"]
    assert folded["analyzer"] == "vi_folded"
    assert folded["fields"]["shingles"]["analyzer"] == "vi_bigrams"
    assert folded["fields"]["trigrams"]["analyzer"] == "vi_trigrams"
    assert folded["fields"]["raw"]["type"] == "keyword"
    assert properties["keywords_folded"]["fields"]["shingles"]["analyzer"] == "vi_bigrams"
    assert properties["title_suggest"]["type"] == "search_as_you_type"
    assert properties["title_suggest"]["analyzer"] == "vi_folded"
    for name in ("agency_folded", "field_folded", "body_folded", "title"):
        assert properties[name]["analyzer"] == "vi_folded", name
    assert properties["popularity"]["type"] == "integer"


def test_mapping_is_strict_and_filters_are_exact_keywords(definition):
    mappings = definition["mappings"]
    assert mappings["dynamic"] == "strict"
    for name in ("code", "province", "status", "tiers", "agency_code", "field_code"):
        assert mappings["properties"][name] == {"type": "keyword"}, name
    assert definition["settings"]["number_of_shards"] == 1


def test_stored_document_has_search_text_forms():
    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    source = es_mapping.source_for(
        document(title=decomposed, title_en="Birth registration", keywords_en=["birth"])
    )
    assert source["title"] == "Đăng ký khai sinh"  # NFC, case and accents kept for display
    assert source["title_exact"] == [text.normalise("Đăng ký khai sinh"), "birth registration"]
    assert source["title_folded"] == ["dang ki khai sinh", "birth registration"]
    assert source["title_suggest"] == source["title_folded"]
    assert source["keywords_folded"] == ["gpxd", "birth"]
    assert source["agency_folded"] == "so xay dung"
    assert source["body_folded"] == text.fold("Nộp hồ sơ tại Bộ phận một cửa.")
    assert source["body"] == "Nộp hồ sơ tại Bộ phận một cửa."  # as written, for snippets
    mapped = set(es_mapping.procedure_mapping().to_dict()["properties"])
    assert set(source) <= mapped  # a strict mapping accepts it


# --- the query -----------------------------------------------------------------------------------


def test_unaccented_query_matches_folded_fields_only():
    body = body_for("cap giay phep xay dung")
    clauses = tiers(body)
    assert all(not (tier_fields(c) & {"title_exact", "keywords_exact"}) for c in clauses)
    title = [c for c in clauses if c["constant_score"]["boost"] == es_queries.TITLE_ALL_WORDS]
    assert tier_fields(title[0]) == {"title_folded"}
    words = [v["query"] for k, v in walk(title[0]) if k == "multi_match"]
    assert words == ["cap", "giay", "phep", "xay", "dung"]


def test_accented_query_ranks_exact_matches_above_folded_ones():
    body = body_for("đăng ký khai sinh")
    clauses = tiers(body)
    exact = [c for c in clauses if tier_fields(c) & {"title_exact", "keywords_exact"}]
    folded = [c for c in clauses if c not in exact]
    assert exact and folded
    phrase = [v for k, v in walk(exact) if k == "match_phrase_prefix"]
    assert {"title_exact": {"query": "đăng kí khai sinh"}} in phrase
    assert min(c["constant_score"]["boost"] for c in exact) > max(
        c["constant_score"]["boost"] for c in folded
    )
    bonuses = [v for k, v in walk(scoring(body)["should"]) if k == "match"]
    assert {"title_exact": "đăng"} in bonuses  # accented words found with their accents count


def test_code_query_is_a_term_on_code_with_the_top_boost():
    clauses = tiers(body_for("1.000894"))
    top = max(clauses, key=lambda c: c["constant_score"]["boost"])
    assert top["constant_score"]["boost"] == es_queries.CODE
    assert top["constant_score"]["filter"] == {
        "term": {"code": {"value": "1.000894", "case_insensitive": True}}
    }
    assert not [c for c in tiers(body_for("giay phep")) if "code" in tier_fields(c)]


def test_tiers_follow_the_ranking_order():
    order = [
        es_queries.CODE,
        es_queries.CODE_PREFIX,
        es_queries.ACCENTED_PHRASE,
        es_queries.SYNONYM_PHRASE,
        es_queries.TITLE_ALL_WORDS,
        es_queries.KEYWORDS_ALL_WORDS,
        es_queries.NAMES_ALL_WORDS,
        es_queries.ALL_WORDS,
        es_queries.SHINGLES,
        es_queries.FUZZY,
    ]
    assert order == sorted(order, reverse=True) and len(set(order)) == len(order)
    gap = min(a - b for a, b in zip(order, order[1:], strict=False))
    most_bonus = (
        text.MAX_WORDS - 1
    ) * es_queries.SHINGLE_BONUS + text.MAX_WORDS * es_queries.ACCENTED_WORD_BONUS
    assert most_bonus < gap and most_bonus < es_queries.FUZZY


def test_filters_are_in_filter_context():
    body = body_for(
        "giay phep", province="lam-dong", agency="SXD", field="xay-dung", tier="commune", level=3
    )
    assert body["query"]["bool"]["filter"] == [
        {"term": {"status": "active"}},
        {"term": {"province": "lam-dong"}},
        {"term": {"agency_code": {"value": "SXD", "case_insensitive": True}}},
        {"term": {"field_code": "xay-dung"}},
        {"term": {"tiers": "commune"}},
        {"term": {"level": 3}},
    ]
    scored = body["query"]["bool"]["must"]
    assert not FILTER_FIELDS & {key for key, _ in walk(scored)}
    assert not [v for k, v in walk(scored) if k == "term" and FILTER_FIELDS & set(v)]
    assert "post_filter" not in body


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (None, [{"term": {"status": "active"}}]),
        (STATUS_ABOLISHED, [{"term": {"status": "abolished"}}]),
        (STATUS_ALL, []),
    ],
)
def test_status_is_active_unless_asked(status, expected):
    kwargs = {"status": status} if status else {}
    query = body_for("khai sinh", **kwargs)["query"]
    assert query.get("bool", {}).get("filter", []) == expected


def test_synonyms_are_phrase_clauses():
    built_in = tiers(body_for("GPXD"))
    phrases = [
        c["constant_score"]["filter"]["multi_match"]
        for c in built_in
        if c["constant_score"]["boost"] == es_queries.SYNONYM_PHRASE
    ]
    assert phrases == [
        {
            "query": "giay phep xay dung",
            "fields": ["title_folded", "keywords_folded"],
            "type": "phrase",
        }
    ]
    given = build_query(SearchQuery("so do"), phrases=["giấy chứng nhận quyền sử dụng đất"])
    queries = [v["query"] for k, v in walk(given.to_dict()) if k == "multi_match"]
    assert "giay chung nhan quyen su dung dat" in queries


def test_fuzziness_is_the_lowest_tier():
    clauses = tiers(body_for("dang ky khai sihn"))
    fuzzy = [v for c in clauses for k, v in walk(c) if k == "multi_match" and "fuzziness" in v]
    assert [m["query"] for m in fuzzy] == ["dang", "ki", "khai", "sihn"]
    assert all(m["fuzziness"].startswith("AUTO") for m in fuzzy)
    bottom = min(clauses, key=lambda c: c["constant_score"]["boost"])
    assert bottom["constant_score"]["boost"] == es_queries.FUZZY
    assert "fuzziness" in json.dumps(bottom)
    assert "body_folded" not in tier_fields(bottom)


def test_shingles_are_matched_on_the_shingle_sub_fields():
    body = body_for("cap giay phep xay dung")
    shingle_tier = [c for c in tiers(body) if c["constant_score"]["boost"] == es_queries.SHINGLES][
        0
    ]
    assert tier_fields(shingle_tier) == {"title_folded.shingles", "keywords_folded.shingles"}
    pairs = [v for k, v in walk(shingle_tier) if k == "match"]
    assert {"title_folded.shingles": "giay phep"} in pairs
    bonus = [v for k, v in walk(scoring(body)["should"]) if k == "match"]
    assert {"title_folded.shingles": "xay dung"} in bonus


def test_field_weights_and_popularity():
    body = body_for("giay phep")
    relevance = [v for k, v in walk(scoring(body)["should"]) if k == "multi_match"][0]
    weights = {
        f.split("^")[0]: float(f.split("^")[1]) if "^" in f else 1.0 for f in relevance["fields"]
    }
    assert (
        weights["title_folded"]
        > weights["keywords_folded"]
        > weights["agency_folded"]
        == weights["field_folded"]
        > weights["body_folded"]
    )
    function_score = body["query"]["bool"]["must"][0]["function_score"]
    assert function_score["functions"][0]["field_value_factor"]["field"] == "popularity"
    assert function_score["boost_mode"] == "sum"
    assert body["sort"][:2] == ["_score", {"popularity": {"order": "desc"}}]


QUERY_SYNTAX = [
    "title:*",
    '") OR 1=1',
    '"; DROP TABLE x; --',
    "status:abolished AND province:*",
    "giay~2 phep^10 (xay OR dung) [a TO z] {b} /regex/ \\ +must -not | &&",
    "*",
    '"',
]


@pytest.mark.parametrize("raw", QUERY_SYNTAX)
def test_query_text_never_reaches_the_engine_as_syntax(raw):
    body = body_for(raw)
    keys = {key for key, _ in walk(body)}
    for forbidden in ("query_string", "simple_query_string", "regexp", "wildcard", "script"):
        assert forbidden not in keys
    texts = user_texts(body)
    assert texts or raw in ("*", '"')
    for value in texts:
        if value in ("active",):  # the status filter
            continue
        assert re.fullmatch(r"[a-z0-9 .]+", value), value
        assert "OR" not in value and "AND" not in value
    assert body["query"]["bool"]["filter"] == [{"term": {"status": "active"}}]


@pytest.mark.parametrize("raw", ["title:*", "khai sinh", "1.000894", "", '")'])
def test_no_query_string_for_any_input(raw):
    dumped = json.dumps(body_for(raw))
    assert "query_string" not in dumped


def test_a_query_without_words_matches_nothing():
    body = body_for("  *  ")
    assert body["query"]["bool"]["must"] == [{"match_none": {}}]
    assert "highlight" not in body and "suggest" not in body


def test_facets_are_terms_aggregations_over_the_matching_procedures():
    aggregations = body_for("khai sinh", agency="STP")["aggs"]
    assert set(aggregations) == {"_filter_agency", "_filter_field", "_filter_tier", "_filter_level"}
    fields = {
        name: aggregations[f"_filter_{name}"]["aggs"][name]["terms"]["field"]
        for name in ("agency", "field", "tier", "level")
    }
    assert fields == {
        "agency": "agency_code",
        "field": "field_code",
        "tier": "tiers",
        "level": "level",
    }
    agency = aggregations["_filter_agency"]["aggs"]["agency"]
    assert agency["aggs"]["label"]["terms"]["field"] == "agency_name"
    assert all(a["filter"] == {"match_all": {}} for a in aggregations.values())


def test_highlight_and_did_you_mean_are_requested():
    body = body_for("khai sinh")
    title = body["highlight"]["fields"]["title"]
    assert title["number_of_fragments"] == 0
    assert title["pre_tags"] == [es_results.MARK_OPEN] and title["post_tags"] == [
        es_results.MARK_CLOSE
    ]
    assert "khai sinh" in json.dumps(title["highlight_query"])
    phrase = body["suggest"]["did_you_mean"]
    assert phrase["text"] == "khai sinh"
    assert phrase["phrase"]["field"] == "title_folded.trigrams"
    assert body["track_total_hits"] is True


def test_pagination_and_result_window():
    body = body_for("khai sinh", page=3, page_size=10)
    assert (body["from"], body["size"]) == (20, 10)
    far = body_for("khai sinh", page=10_000, page_size=100)
    assert far["from"] + far["size"] <= MAX_PAGED_RESULTS


def test_province_searches_read_its_alias_and_others_read_every_province():
    client = FakeClient()
    backend(client).search(SearchQuery("khai sinh", province="lam-dong"))
    backend(client).search(SearchQuery("khai sinh"))
    first, second = [kwargs for name, kwargs in client.calls if name == "search"]
    assert first["index"] == ["thutuc-lam-dong"] and first["ignore_unavailable"] is True
    assert second["index"] == ["thutuc"] and "ignore_unavailable" not in second


# --- reading responses ---------------------------------------------------------------------------

AGGREGATIONS = {
    "_filter_agency": {
        "doc_count": 3,
        "agency": {
            "buckets": [
                {
                    "key": "STP",
                    "doc_count": 2,
                    "label": {"buckets": [{"key": "Sở Tư pháp", "doc_count": 2}]},
                },
                {
                    "key": "UBND-XA",
                    "doc_count": 1,
                    "label": {"buckets": [{"key": "UBND cấp xã", "doc_count": 1}]},
                },
            ]
        },
    },
    "_filter_field": {
        "doc_count": 3,
        "field": {
            "buckets": [
                {
                    "key": "ho-tich",
                    "doc_count": 3,
                    "label": {"buckets": [{"key": "Hộ tịch", "doc_count": 3}]},
                }
            ]
        },
    },
    "_filter_tier": {
        "doc_count": 3,
        "tier": {
            "buckets": [
                {"key": "commune", "doc_count": 1},
                {"key": "province", "doc_count": 2},
                {"key": "district", "doc_count": 1},
            ]
        },
    },
    "_filter_level": {
        "doc_count": 3,
        "level": {"buckets": [{"key": 2, "doc_count": 2}, {"key": 4, "doc_count": 1}]},
    },
}


def test_search_maps_hits_facets_and_total():
    client = FakeClient(
        search_response(
            [
                es_hit(7, "Đăng ký khai sinh", "Đăng ký \ue000khai\ue001 \ue000sinh\ue001", 9.5),
                es_hit(
                    8,
                    "Đăng ký khai sinh lưu động",
                    None,
                    3.0,
                    status="abolished",
                    body="Cán bộ tư pháp đến tận nhà để đăng ký khai sinh.",
                ),
            ],
            total=3,
            aggregations=AGGREGATIONS,
        )
    )
    results = backend(client).search(SearchQuery("khai sinh", status="all"))
    assert results.backend == "elasticsearch" and results.total == 3
    assert not results.degraded and results.suggestion is None
    first, second = results.hits
    assert (first.id, first.code, first.province, first.title) == (
        7,
        "1.000007",
        "lam-dong",
        "Đăng ký khai sinh",
    )
    assert (first.agency, first.field, first.level, first.status) == (
        "Sở Tư pháp",
        "Hộ tịch",
        2,
        "active",
    )
    assert first.score == 9.5 and first.url == "/p/7/"
    assert first.highlight == "Đăng ký <mark>khai</mark> <mark>sinh</mark>"
    assert "<mark>khai</mark>" in second.highlight  # search.text.highlight on the title
    assert first.snippet == ""  # no body in its source
    assert second.snippet.endswith("<mark>khai</mark> <mark>sinh</mark>.")
    facets = results.facets
    assert list(facets) == ["agency", "field", "tier", "level"]
    assert [(f.value, f.label, f.count) for f in facets["agency"]] == [
        ("STP", "Sở Tư pháp", 2),
        ("UBND-XA", "UBND cấp xã", 1),
    ]
    assert [(f.value, f.label, f.count) for f in facets["tier"]] == [
        ("province", "Cấp tỉnh", 2),
        ("district", "Cấp huyện", 1),
        ("commune", "Cấp xã", 1),
    ]
    assert [(f.value, f.label, f.count) for f in facets["level"]] == [
        ("2", "Mức độ 2", 2),
        ("4", "Mức độ 4", 1),
    ]
    assert [(f.value, f.label) for f in facets["field"]] == [("ho-tich", "Hộ tịch")]


def test_highlights_are_escaped_except_mark():
    title = "<script>alert(1)</script> Cấp phép thử"
    highlighted = "<script>alert(1)</script> \ue000Cấp\ue001 \ue000phép\ue001 \ue000thử\ue001"
    client = FakeClient(search_response([es_hit(1, title, highlighted)]))
    hit = backend(client).search(SearchQuery("cap phep thu")).hits[0]
    assert "<script>" not in hit.highlight
    assert hit.highlight.startswith("&lt;script&gt;alert(1)&lt;/script&gt; <mark>Cấp</mark>")
    assert re.sub(r"</?mark>", "", hit.highlight).count("<") == 0


def test_suggestion_only_when_nothing_matched():
    suggest = {
        "did_you_mean": [{"text": "khaii sinnh", "options": [{"text": "khai sinh", "score": 0.1}]}]
    }
    nothing = backend(FakeClient(search_response([], suggest=suggest)))
    assert nothing.search(SearchQuery("khaii sinnh")).suggestion == "khai sinh"
    found = backend(FakeClient(search_response([es_hit(1, "Đăng ký khai sinh")], suggest=suggest)))
    assert found.search(SearchQuery("khaii sinnh")).suggestion is None


@pytest.mark.parametrize("raw", ["", "   ", "🙂", '"', "*"])
def test_queries_without_words_do_not_reach_elasticsearch(raw):
    client = FakeClient()
    results = backend(client).search(SearchQuery(raw))
    assert (results.hits, results.total) == ([], 0)
    assert client.calls == []
    assert backend(client).suggest(raw) == []


def test_editor_synonyms_are_searched_as_phrases():
    client = FakeClient()
    editors = lambda: [("nha tro", ["cơ sở lưu trú"])]  # noqa: E731
    backend(client, synonyms=editors).search(SearchQuery("nha tro"))
    body = client.call("search")["body"]
    phrases = [
        v["query"] for k, v in walk(body) if k == "multi_match" and v.get("type") == "phrase"
    ]
    assert phrases == ["co so luu tru"]


def test_suggest_uses_the_search_as_you_type_field():
    body = build_suggest("dang ky kh", "lam-dong", 5).to_dict()
    inner = body["query"]["function_score"]["query"]["bool"]
    assert inner["must"][0]["multi_match"] == {
        "query": "dang ki kh",
        "type": "bool_prefix",
        "operator": "and",
        "fields": ["title_suggest", "title_suggest._2gram", "title_suggest._3gram"],
    }
    assert inner["filter"] == [{"term": {"status": "active"}}, {"term": {"province": "lam-dong"}}]
    assert body["size"] == 5
    client = FakeClient(
        search_response(
            [
                {
                    "_id": "1",
                    "_score": 2.0,
                    "_source": {
                        "code": "2.000488",
                        "province": "lam-dong",
                        "title": "Đăng ký khai sinh",
                        "url": "/k/",
                    },
                }
            ]
        )
    )
    suggestions = backend(client).suggest("dang ky kh", "lam-dong", 5)
    assert [(s.code, s.province, s.title, s.url) for s in suggestions] == [
        ("2.000488", "lam-dong", "Đăng ký khai sinh", "/k/")
    ]
    assert client.call("search")["index"] == ["thutuc-lam-dong"]


# --- errors --------------------------------------------------------------------------------------

ERRORS = [
    elasticsearch.ConnectionError("connection refused"),
    elasticsearch.ConnectionTimeout("timed out"),
    elasticsearch.TransportError("transport"),
    elasticsearch.ApiError("unavailable", meta=SimpleNamespace(status=503), body={}),
    elasticsearch.NotFoundError("no such index", meta=SimpleNamespace(status=404), body={}),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_search_and_suggest_errors_become_search_unavailable(error):
    engine = backend(FakeClient(error=error))
    with pytest.raises(SearchUnavailable) as raised:
        engine.search(SearchQuery("khai sinh"))
    assert raised.value.__cause__ is error
    with pytest.raises(SearchUnavailable):
        engine.suggest("khai")


def test_writing_errors_are_raised_as_they_are():
    class Down(FakeClient):
        def bulk(self, operations, **kwargs):
            raise elasticsearch.ConnectionError("connection refused")

    with pytest.raises(elasticsearch.ConnectionError):
        backend(Down()).index([document()])


# --- indices and aliases -------------------------------------------------------------------------

OLD = "thutuc-lam-dong-20240101000000000000"


def test_rebuild_fills_a_new_index_then_switches_the_alias_atomically():
    client = FakeClient(state={OLD: {"thutuc-lam-dong", "thutuc"}})
    count = backend(client).rebuild([document(1), document(2)])
    assert count == 2
    assert client.names() == [
        "indices.create",
        "bulk",
        "indices.refresh",
        "indices.get_alias",
        "indices.update_aliases",
        "indices.delete",
    ]
    new = client.call("indices.create")["index"]
    assert re.fullmatch(r"thutuc-lam-dong-\d{20}", new) and new != OLD
    assert "aliases" not in client.call("indices.create")  # readers see it only after the switch
    operations = client.call("bulk")["operations"]
    assert [op["index"]["_index"] for op in operations[::2]] == [new, new]
    assert [op["index"]["_id"] for op in operations[::2]] == ["1", "2"]
    assert client.call("indices.update_aliases")["actions"] == [
        {"remove": {"index": OLD, "alias": "thutuc"}},
        {"remove": {"index": OLD, "alias": "thutuc-lam-dong"}},
        {"add": {"index": new, "alias": "thutuc-lam-dong", "is_write_index": True}},
        {"add": {"index": new, "alias": "thutuc"}},
    ]
    assert client.call("indices.delete")["index"] == OLD
    assert client.state == {new: {"thutuc-lam-dong", "thutuc"}}


def test_rebuild_gives_each_province_its_index_and_drops_the_absent_ones():
    gone = "thutuc-ha-noi-20240101000000000000"
    client = FakeClient(
        state={OLD: {"thutuc-lam-dong", "thutuc"}, gone: {"thutuc-ha-noi", "thutuc"}}
    )
    backend(client).rebuild([document(1), document(2, province="cao-bang"), document(3)])
    created = [kwargs["index"] for name, kwargs in client.calls if name == "indices.create"]
    assert [name.rsplit("-", 1)[0] for name in created] == ["thutuc-lam-dong", "thutuc-cao-bang"]
    assert set(client.call("indices.delete")["index"].split(",")) == {OLD, gone}
    assert sorted(client.state.values(), key=sorted) == sorted(
        [{"thutuc-lam-dong", "thutuc"}, {"thutuc-cao-bang", "thutuc"}], key=sorted
    )
    assert len(client.call("indices.update_aliases")["actions"]) == 8  # one atomic call


def test_first_rebuild_only_adds_aliases():
    client = FakeClient()
    client.error_on_get_alias = elasticsearch.NotFoundError(
        "alias [thutuc] missing", meta=SimpleNamespace(status=404), body={}
    )
    backend(client).rebuild([document(1)])
    actions = client.call("indices.update_aliases")["actions"]
    assert [next(iter(a)) for a in actions] == ["add", "add"]
    assert "indices.delete" not in client.names()


def test_failed_rebuild_keeps_the_old_index_and_deletes_the_new_one():
    client = FakeClient(state={OLD: {"thutuc-lam-dong", "thutuc"}}, bulk_errors=True)
    with pytest.raises(BulkIndexError):
        backend(client).rebuild([document(1)])
    new = client.call("indices.create")["index"]
    assert "indices.update_aliases" not in client.names()
    assert client.call("indices.delete")["index"] == new
    assert client.state == {OLD: {"thutuc-lam-dong", "thutuc"}}


def test_index_creates_a_missing_province_index_with_its_aliases():
    client = FakeClient(state={OLD: {"thutuc-lam-dong", "thutuc"}})
    assert backend(client).index([document(1), document(2, province="cao-bang")]) == 2
    create = client.call("indices.create")
    assert create["index"].startswith("thutuc-cao-bang-")
    assert create["aliases"] == {"thutuc-cao-bang": {"is_write_index": True}, "thutuc": {}}
    assert "mappings" in create and "analysis" in create["settings"]
    operations = client.call("bulk")["operations"]
    assert [op["index"]["_index"] for op in operations[::2]] == [
        "thutuc-lam-dong",
        "thutuc-cao-bang",
    ]
    assert operations[1]["title_folded"] == ["cap giay phep xay dung"]
    assert client.call("bulk")["refresh"] is True


def test_index_removes_copies_left_in_another_province():
    client = FakeClient(state={OLD: {"thutuc-lam-dong", "thutuc"}})
    backend(client).index([document(1)])
    stale = client.call("delete_by_query")
    assert stale["index"] == "thutuc"
    assert stale["query"]["bool"]["should"] == [
        {
            "bool": {
                "filter": [{"terms": {"id": [1]}}],
                "must_not": [{"term": {"province": "lam-dong"}}],
            }
        }
    ]
    assert client.names().index("delete_by_query") < client.names().index("bulk")


def test_remove_deletes_by_page_id_across_provinces():
    client = FakeClient()
    backend(client).remove([3, 1, 3])
    call = client.call("delete_by_query")
    assert call["index"] == "thutuc" and call["query"] == {"terms": {"id": [1, 3]}}
    backend(client).remove([])
    assert client.names() == ["delete_by_query"]


def test_names_are_safe_for_elasticsearch():
    assert es_indices.province_key("Lâm Đồng/../x") == "l-m-ng-x"
    assert es_indices.province_key("") == "none"
    assert es_indices.alias_name("thutuc", "cao-bang") == "thutuc-cao-bang"
    assert es_indices.alias_name("thutuc") == "thutuc"


def test_default_client_needs_no_server():
    engine = ElasticsearchBackend("http://localhost:9200", prefix="thutuc-test")
    assert engine.name == "elasticsearch" and engine.prefix == "thutuc-test"
    assert isinstance(engine.client, elasticsearch.Elasticsearch)
    assert engine.province_alias("lam-dong") == "thutuc-test-lam-dong"


def test_a_short_last_word_is_not_searched_as_a_prefix():
    short = body_for("ma so do")
    prefixes = [v["query"] for k, v in walk(short) if v_type(k, v) == "bool_prefix"]
    assert "do" not in prefixes
    typed = body_for("ma so don")
    assert "don" in [v["query"] for k, v in walk(typed) if v_type(k, v) == "bool_prefix"]


def v_type(key: str, value) -> str | None:
    return value.get("type") if key == "multi_match" and isinstance(value, dict) else None


def test_an_accented_short_last_word_is_a_whole_word_in_the_phrase_tier_and_highlight():
    short = body_for("mã số đ")
    assert not [k for k, _ in walk(short) if k in {"match_phrase_prefix", "match_bool_prefix"}]
    typed = body_for("mã số đơn")
    kinds = {k for k, _ in walk(typed)}
    assert {"match_phrase_prefix", "match_bool_prefix"} <= kinds
