"""The Elasticsearch backend's requests without a server: its mapping and the search bodies it
builds (to_dict). How it reads responses and manages indices and aliases is tested on a live
node (test_elasticsearch_node.py), and the shared behaviour suite (test_behaviour.py) runs on it,
whenever ELASTICSEARCH_URL is set.
"""

import json
import re
import unicodedata

import elasticsearch
import pytest

from search import ranking, text
from search.backends.base import (
    MAX_PAGED_RESULTS,
    STATUS_ABOLISHED,
    STATUS_ALL,
    SearchQuery,
)
from search.backends.elasticsearch import ElasticsearchBackend
from search.backends.elasticsearch import document as es_document
from search.backends.elasticsearch import indices as es_indices
from search.backends.elasticsearch.queries import build_query

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
    phrases = kwargs.pop("phrases", None)
    return build_query(SearchQuery(q, **kwargs), phrases=phrases).to_dict()


def scoring(body: dict) -> dict:
    """The scored part of a search body: its best tier (must) and its bonuses (should), beside
    the filters."""
    return body["query"]["bool"]


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


# --- mapping -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def definition():
    return es_document.index_definition("thutuc-lam-dong-1").to_dict()


def test_analysis_uses_only_built_in_components(definition):
    analysis = definition["settings"]["analysis"]
    custom_filters = analysis.get("filter", {})
    assert {f["type"] for f in custom_filters.values()} <= CUSTOM_FILTER_TYPES
    for name, analyzer in analysis["analyzer"].items():
        assert analyzer["type"] == "custom", name
        assert analyzer["tokenizer"] == "standard", name
        assert set(analyzer["filter"]) <= BUILT_IN_FILTERS | set(custom_filters), name
    assert not analysis.get("tokenizer") and not analysis.get("char_filter")
    assert set(analysis["analyzer"]) == {
        "vi_exact",
        "vi_folded",
        "vi_bigrams",
        "vi_trigrams",
        "vi_trigrams_only",
    }
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
    suggest = properties["title_suggest"]  # search_as_you_type's layers, from built-in parts
    assert suggest["analyzer"] == "vi_folded" and suggest["index_prefixes"]
    assert suggest["fields"]["_2gram"]["analyzer"] == "vi_bigrams"
    assert suggest["fields"]["_3gram"]["analyzer"] == "vi_trigrams_only"
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
    stored = es_document.ProcedureDocument.from_search_document(
        document(title=decomposed, title_en="Birth registration", keywords_en=["birth"])
    )
    source = stored.to_dict()
    assert stored.meta.id == "1"
    assert source["title"] == "Đăng ký khai sinh"  # NFC, case and accents kept for display
    assert source["title_exact"] == [text.normalise("Đăng ký khai sinh"), "birth registration"]
    assert source["title_folded"] == ["dang ki khai sinh", "birth registration"]
    assert source["title_suggest"] == source["title_folded"]
    assert source["keywords_folded"] == ["gpxd", "birth"]
    assert source["agency_folded"] == "so xay dung"
    assert source["body_folded"] == text.fold("Nộp hồ sơ tại Bộ phận một cửa.")
    assert source["body"] == "Nộp hồ sơ tại Bộ phận một cửa."  # as written, for snippets
    mapped = set(es_document.ProcedureDocument._doc_type.mapping.to_dict()["properties"])
    assert set(source) <= mapped  # a strict mapping accepts it


# --- the query -----------------------------------------------------------------------------------


def test_unaccented_query_matches_folded_fields_only():
    body = body_for("cap giay phep xay dung")
    clauses = tiers(body)
    assert all(not (tier_fields(c) & {"title_exact", "keywords_exact"}) for c in clauses)
    title = [c for c in clauses if c["constant_score"]["boost"] == ranking.TITLE_ALL_WORDS]
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
    bonuses = [v for k, v in walk(scoring(body)["should"]) if k == "term"]
    assert {"title_exact": "đăng"} in bonuses  # accented words found with their accents count


def test_code_query_is_a_code_prefix_with_the_top_boost():
    clauses = tiers(body_for("1.000894"))
    top = max(clauses, key=lambda c: c["constant_score"]["boost"])
    assert top["constant_score"]["boost"] == ranking.CODE  # 1.000894 and 1.000894.000.00.00.H36
    assert top["constant_score"]["filter"] == {
        "prefix": {"code": {"value": "1.000894", "case_insensitive": True}}
    }
    assert not [c for c in tiers(body_for("giay phep")) if "code" in tier_fields(c)]


def test_tiers_are_the_shared_ranking_in_its_order():
    boosts = [c["constant_score"]["boost"] for c in tiers(body_for("giấy khai sinh"))]
    shared = [
        ranking.ACCENTED_PHRASE,
        ranking.SYNONYM_FIRST,
        ranking.SYNONYM_PHRASE,
        ranking.TITLE_ALL_WORDS,
        ranking.KEYWORDS_ALL_WORDS,
        ranking.ALL_WORDS,
    ]
    assert sorted(set(boosts), reverse=True) == shared
    order = [ranking.CODE, *shared, ranking.FUZZY]
    gap = min(a - b for a, b in zip(order, order[1:], strict=False))
    most_bonus = (
        (text.MAX_WORDS - 1) * ranking.SHINGLE
        + text.MAX_WORDS * ranking.ACCENTED_WORD
        + text.MAX_WORDS * ranking.WORD_IN_TITLE
    )
    assert most_bonus <= ranking.BONUS_CAP < gap and most_bonus < ranking.FUZZY


def test_the_second_pass_counts_the_words_held():
    body = body_for("giay phep lai xr", any_words=True)
    held = scoring(body)["must"][0]["bool"]
    assert held["minimum_should_match"] == 1
    assert [c["constant_score"]["boost"] for c in held["should"]] == [ranking.ONE_WORD] * 4
    assert [v["query"] for k, v in walk(held) if k == "multi_match"] == [
        "giay",
        "phep",
        "lai",
        "xr",
    ]


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
        if c["constant_score"]["boost"] in (ranking.SYNONYM_FIRST, ranking.SYNONYM_PHRASE)
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


def test_words_with_typos_are_a_request_of_their_own():
    assert "fuzziness" not in json.dumps(
        body_for("dang ky khai sihn")
    )  # tried when nothing matched
    typos = frozenset({"sihn"})
    corrected = build_query(SearchQuery("dang ky khai sihn"), typos=typos).to_dict()
    best = scoring(corrected)["must"][0]["constant_score"]
    assert best["boost"] == ranking.FUZZY
    words = [v for k, v in walk(best) if k == "multi_match"]
    assert [m["query"] for m in words] == ["dang", "ki", "khai", "sihn"]
    # Only the word the index does not know is corrected, within the names; the others as typed.
    assert [m["query"] for m in words if "fuzziness" in m] == ["sihn"]
    assert words[-1]["fuzziness"].startswith("AUTO")
    assert "body_folded" not in words[-1]["fields"] and "body_folded" in words[0]["fields"]


def test_bonuses_are_word_pairs_and_words_in_the_title():
    bonuses = scoring(body_for("cap giay phep xay dung"))["should"]
    boosts = [c["constant_score"]["boost"] for c in bonuses]
    assert boosts == [ranking.SHINGLE] * 4 + [ranking.WORD_IN_TITLE] * 5
    assert {"title_folded": "xay dung"} in [v for k, v in walk(bonuses) if k == "match_phrase"]


def test_equal_scores_follow_popularity_then_the_shorter_title_as_in_the_database():
    body = body_for("giay phep")
    assert body["sort"] == [
        "_score",
        {"popularity": "desc"},
        {"title_length": "asc"},
        {"code": "asc"},
        {"id": "asc"},
    ]
    assert "function_score" not in json.dumps(body["query"])  # whole-number scores: exact


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


def test_pagination_and_result_window():
    body = body_for("khai sinh", page=3, page_size=10)
    assert (body["from"], body["size"]) == (20, 10)
    far = body_for("khai sinh", page=10_000, page_size=100)
    assert far["from"] + far["size"] <= MAX_PAGED_RESULTS


# --- names and the client ----------------------------------------------------------------------


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


def test_an_accented_short_last_word_is_a_whole_word_in_the_phrase_tier():
    short = body_for("mã số đ")
    assert "match_phrase_prefix" not in {k for k, _ in walk(short)}
    typed = body_for("mã số đơn")
    assert "match_phrase_prefix" in {k for k, _ in walk(typed)}
