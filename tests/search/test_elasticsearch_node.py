"""The Elasticsearch backend on a live node (ELASTICSEARCH_URL; `make elasticsearch`): which
alias a search reads, how hits, facets, the suggestion and autocomplete come back, and how
indices and aliases are managed (rebuild, incremental writes, removal), each test under its own
index prefix, deleted afterwards. No database: the documents are written as search documents."""

import re

import elasticsearch
import pytest
from elasticsearch.helpers import BulkIndexError

from search.backends.base import SearchQuery, SearchUnavailable
from search.backends.elasticsearch import ElasticsearchBackend

from .es_node import URL, client, delete_prefix, indices_of, needs_node, unique_prefix

# The database holds the vocabulary that tells typos apart (search.models.SearchTerm).
pytestmark = [needs_node, pytest.mark.django_db]

CLOSED_PORT = "http://127.0.0.1:9"


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


BIRTH = {
    "title": "Đăng ký khai sinh",
    "agency_code": "STP",
    "agency_name": "Sở Tư pháp",
    "field_code": "ho-tich",
    "field_name": "Hộ tịch",
    "keywords": [],
}


@pytest.fixture
def es():
    return client()


@pytest.fixture
def prefix(es):
    name = unique_prefix()
    yield name
    delete_prefix(es, name)


@pytest.fixture
def backend(prefix):
    return ElasticsearchBackend(URL, prefix=prefix, synonyms=lambda: [])


def ids(results) -> list[int]:
    return [hit.id for hit in results.hits]


# --- reading -------------------------------------------------------------------------------------


def test_a_province_search_reads_its_alias_and_one_without_reads_every_province(
    backend, es, prefix
):
    backend.rebuild([document(1, **BIRTH), document(2, "cao-bang", **BIRTH)])
    assert ids(backend.search(SearchQuery("khai sinh", province="lam-dong"))) == [1]
    assert sorted(ids(backend.search(SearchQuery("khai sinh")))) == [1, 2]
    assert ids(backend.search(SearchQuery("khai sinh", province="ha-noi"))) == []  # no index

    # Take Lâm Đồng's index out of its alias only: its searches find nothing, the others still do.
    (index,) = [
        name for name, aliases in indices_of(es, prefix).items() if f"{prefix}-lam-dong" in aliases
    ]
    es.indices.delete_alias(index=index, name=f"{prefix}-lam-dong")
    assert ids(backend.search(SearchQuery("khai sinh", province="lam-dong"))) == []
    assert sorted(ids(backend.search(SearchQuery("khai sinh")))) == [1, 2]


def test_hits_facets_and_total_are_read_from_the_response(backend):
    backend.rebuild(
        [
            document(7, **BIRTH, level=2),
            document(
                8,
                **{**BIRTH, "title": "Đăng ký khai sinh lưu động"},
                status="abolished",
                level=4,
                tiers=["district", "commune"],
                body="Cán bộ tư pháp đến tận nhà để đăng ký khai sinh.",
            ),
            document(9, **{**BIRTH, "agency_code": "UBND-XA", "agency_name": "UBND cấp xã"}),
            document(10),  # the building permit: not found
        ]
    )
    results = backend.search(SearchQuery("khai sinh", status="all"))
    assert (results.backend, results.total, results.degraded) == ("elasticsearch", 3, False)
    assert results.suggestion is None
    assert sorted(ids(results)) == [7, 8, 9]
    first = next(hit for hit in results.hits if hit.id == 7)
    assert (first.code, first.province, first.title, first.url) == (
        "1.000007", "lam-dong", "Đăng ký khai sinh", "/lam-dong/7/",
    )  # fmt: skip
    assert (first.agency, first.field, first.level, first.status) == (
        "Sở Tư pháp", "Hộ tịch", 2, "active",
    )  # fmt: skip
    assert first.score > 0
    assert first.highlight == "Đăng ký <mark>khai</mark> <mark>sinh</mark>"
    assert first.snippet == ""  # its body does not hold the words
    abolished = next(hit for hit in results.hits if hit.id == 8)
    assert abolished.status == "abolished"
    assert abolished.snippet.endswith("<mark>khai</mark> <mark>sinh</mark>.")

    facets = results.facets
    assert list(facets) == ["agency", "field", "tier", "level"]
    assert [(f.value, f.label, f.count) for f in facets["agency"]] == [
        ("STP", "Sở Tư pháp", 2),
        ("UBND-XA", "UBND cấp xã", 1),
    ]
    assert [(f.value, f.label, f.count) for f in facets["field"]] == [("ho-tich", "Hộ tịch", 3)]
    assert {(f.value, f.label, f.count) for f in facets["tier"]} == {
        ("province", "Cấp tỉnh", 2),
        ("district", "Cấp huyện", 1),
        ("commune", "Cấp xã", 1),
    }
    assert {(f.value, f.label, f.count) for f in facets["level"]} == {
        ("2", "Mức độ 2", 1),
        ("3", "Mức độ 3", 1),
        ("4", "Mức độ 4", 1),
    }
    assert backend.search(SearchQuery("khai sinh")).total == 2  # active only by default


def test_html_in_titles_is_escaped_and_only_mark_added(backend):
    backend.rebuild([document(1, title="<script>alert(1)</script> Cấp phép thử")])
    hit = backend.search(SearchQuery("cap phep thu")).hits[0]
    assert hit.highlight.startswith("&lt;script&gt;alert(1)&lt;/script&gt; <mark>Cấp</mark>")
    assert re.sub(r"</?mark>", "", hit.highlight).count("<") == 0


def test_a_suggestion_only_when_nothing_matched(backend):
    backend.rebuild([document(1, **BIRTH), document(2)])
    nothing = backend.search(SearchQuery("giay phep khai sihn"))
    assert (nothing.total, nothing.suggestion) == (0, "giay phep khai sinh")
    found = backend.search(SearchQuery("dang ky khai sihn"))  # the typo is forgiven
    assert ids(found) == [1]
    assert found.suggestion is None


def test_editor_synonyms_are_searched_as_phrases(prefix):
    editors = ElasticsearchBackend(
        URL, prefix=prefix, synonyms=lambda: [("so xanh", ["chứng nhận cơ sở lưu trú"])]
    )
    editors.rebuild(
        [
            document(1, title="Cấp giấy chứng nhận cơ sở lưu trú du lịch"),
            document(
                2,
                title="Cấp giấy chứng nhận hộ kinh doanh",
                body="Cơ sở có nơi lưu trú cho người lao động",
            ),
        ]
    )
    assert ids(editors.search(SearchQuery("so xanh"))) == [1]  # not 2: the words apart
    plain = ElasticsearchBackend(URL, prefix=prefix, synonyms=lambda: [])
    assert ids(plain.search(SearchQuery("so xanh"))) == []


def test_autocomplete_by_prefix_in_a_province_active_only(backend):
    backend.rebuild(
        [
            document(1, **BIRTH),
            document(2, "cao-bang", **BIRTH),
            document(3, **{**BIRTH, "title": "Đăng ký khai tử"}, status="abolished"),
            document(4, **{**BIRTH, "title": "Đăng ký kết hôn"}),
        ]
    )
    suggestions = backend.suggest("dang ky kh", "lam-dong", 5)
    assert [(s.code, s.province, s.title, s.url) for s in suggestions] == [
        ("1.000001", "lam-dong", "Đăng ký khai sinh", "/lam-dong/1/")
    ]
    assert {s.province for s in backend.suggest("dang ky kh")} == {"lam-dong", "cao-bang"}
    assert [s.title for s in backend.suggest("ket h")] == ["Đăng ký kết hôn"]


@pytest.mark.parametrize("raw", ["", "   ", "🙂", '"', "*"])
def test_queries_without_words_do_not_reach_elasticsearch(raw):
    nowhere = ElasticsearchBackend(CLOSED_PORT, synonyms=lambda: [])  # any request would fail
    results = nowhere.search(SearchQuery(raw))
    assert (results.hits, results.total) == ([], 0)
    assert nowhere.suggest(raw) == []


# --- errors --------------------------------------------------------------------------------------


def test_search_and_suggest_errors_become_search_unavailable(prefix):
    for engine in (
        ElasticsearchBackend(CLOSED_PORT, synonyms=lambda: []),  # connection refused
        ElasticsearchBackend(URL, prefix=prefix, synonyms=lambda: []),  # no index yet
    ):
        with pytest.raises(SearchUnavailable) as raised:
            engine.search(SearchQuery("khai sinh"))
        assert isinstance(
            raised.value.__cause__, elasticsearch.ApiError | elasticsearch.TransportError
        )
        with pytest.raises(SearchUnavailable):
            engine.suggest("khai")


def test_writing_errors_are_raised_as_they_are():
    with pytest.raises(elasticsearch.ConnectionError):
        ElasticsearchBackend(CLOSED_PORT).index([document()])


# --- indices and aliases -------------------------------------------------------------------------


def test_a_first_rebuild_creates_one_index_per_province_behind_both_aliases(backend, es, prefix):
    assert indices_of(es, prefix) == {}
    assert backend.rebuild([document(1), document(2, "cao-bang"), document(3)]) == 3
    current = indices_of(es, prefix)
    assert sorted(current.values(), key=sorted) == sorted(
        [{f"{prefix}-lam-dong", prefix}, {f"{prefix}-cao-bang", prefix}], key=sorted
    )
    for name, aliases in current.items():
        province = next(a for a in aliases if a != prefix).removeprefix(f"{prefix}-")
        assert re.fullmatch(rf"{prefix}-{province}-\d{{20}}", name)
    counts = {
        alias: es.count(index=alias)["count"]
        for alias in (f"{prefix}-lam-dong", f"{prefix}-cao-bang")
    }
    assert counts == {f"{prefix}-lam-dong": 2, f"{prefix}-cao-bang": 1}


def test_a_rebuild_switches_to_new_indices_deletes_the_old_and_drops_absent_provinces(
    backend, es, prefix
):
    backend.rebuild([document(1), document(2, "cao-bang")])
    old = indices_of(es, prefix)
    backend.rebuild([document(1, title="Cấp giấy phép sửa chữa nhà"), document(3, "ha-noi")])
    new = indices_of(es, prefix)
    assert not set(old) & set(new)  # new indices; the old ones are deleted
    assert sorted(new.values(), key=sorted) == sorted(
        [{f"{prefix}-lam-dong", prefix}, {f"{prefix}-ha-noi", prefix}], key=sorted
    )
    assert ids(backend.search(SearchQuery("sua chua nha"))) == [1]
    assert ids(backend.search(SearchQuery("giay phep xay dung", province="cao-bang"))) == []
    assert ids(backend.search(SearchQuery("giay phep xay dung", province="ha-noi"))) == [3]
    with pytest.raises(elasticsearch.NotFoundError):
        es.indices.get_alias(name=f"{prefix}-cao-bang")


def test_a_failed_rebuild_keeps_the_old_indices_and_aliases_and_deletes_the_new(
    backend, es, prefix
):
    backend.rebuild([document(1, **BIRTH), document(2, "cao-bang")])
    before = indices_of(es, prefix)
    refused = document(3, "ha-noi", level="not a number")  # the strict mapping says integer
    with pytest.raises(BulkIndexError):
        backend.rebuild([document(1, title="Cấp giấy phép mới"), document(2, "cao-bang"), refused])
    assert indices_of(es, prefix) == before
    assert ids(backend.search(SearchQuery("khai sinh"))) == [1]


def test_index_creates_a_missing_province_index_with_its_aliases(backend, es, prefix):
    backend.rebuild([document(1)])
    (lam_dong,) = indices_of(es, prefix)
    assert backend.index([document(2), document(3, "cao-bang", **BIRTH)]) == 2
    current = indices_of(es, prefix)
    (cao_bang,) = set(current) - {lam_dong}
    assert cao_bang.startswith(f"{prefix}-cao-bang-")
    assert current[cao_bang] == {f"{prefix}-cao-bang", prefix}
    mapping = es.indices.get_mapping(index=cao_bang)[cao_bang]["mappings"]
    assert mapping["dynamic"] == "strict"
    # Written with refresh: found at once, each through its province's alias.
    assert ids(backend.search(SearchQuery("khai sinh", province="cao-bang"))) == [3]
    assert sorted(ids(backend.search(SearchQuery("giay phep xay dung", province="lam-dong")))) == [
        1,
        2,
    ]


def test_a_procedure_moved_to_another_province_leaves_no_copy(backend, es, prefix):
    backend.rebuild([document(1, **BIRTH), document(2, **BIRTH)])
    backend.index([document(1, "cao-bang", **BIRTH)])
    results = backend.search(SearchQuery("khai sinh"))
    assert sorted((hit.id, hit.province) for hit in results.hits) == [
        (1, "cao-bang"),
        (2, "lam-dong"),
    ]
    assert es.count(index=prefix)["count"] == 2


def test_remove_deletes_by_page_id_across_provinces(backend, es, prefix):
    backend.rebuild([document(1), document(2, "cao-bang"), document(3)])
    backend.remove([2, 1, 2])
    assert ids(backend.search(SearchQuery("giay phep xay dung"))) == [3]
    backend.remove([])
    backend.remove([99])  # not indexed: nothing to do
    assert es.count(index=prefix)["count"] == 1
