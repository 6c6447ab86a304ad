"""The behaviour every search backend shares. The database backend runs it every time; the
Elasticsearch backend runs it whenever ELASTICSEARCH_URL points at a cluster."""

import pytest

from forms_library.models import count_download
from search.backends import database
from search.backends.base import SearchQuery
from search.documents import all_documents

from ..factories import (
    FormDocumentFactory,
    ProcedureFactory,
    citing,
    small_catalogue,
)
from .engines import BACKENDS, make_backend


@pytest.fixture(params=BACKENDS)
def backend(request, catalogue, db):
    engine = make_backend(request.param)
    engine.rebuild(all_documents())
    return engine


@pytest.fixture(scope="module")
def catalogue(module_transaction):
    """The small catalogue, its permit with a longer title and its birth registration also at
    district level."""
    return small_catalogue(
        permit={
            "title": "Cấp giấy phép xây dựng mới đối với công trình cấp III",
            "submission_url": "https://dichvucong.gov.vn/gpxd",
        },
        birth={"tier_district": True},
        ld={"allowed_submission_domains": ""},
    )


def codes(results):
    return [(hit.province, hit.code) for hit in results.hits]


def test_unaccented_query_finds_the_accented_title(backend, catalogue):
    results = backend.search(SearchQuery("cap giay phep xay dung"))
    assert codes(results)[0] == ("lam-dong", "1.000894")


def test_accented_and_decomposed_queries_agree(backend, catalogue):
    composed = backend.search(SearchQuery("đăng ký khai sinh", province="lam-dong"))
    nfd = backend.search(SearchQuery("\u0111a\u0306ng ky\u0301 khai sinh", province="lam-dong"))
    assert codes(composed) == codes(nfd) == [("lam-dong", "2.000488")]


def test_code_query_ranks_that_procedure_first(backend, catalogue):
    assert codes(backend.search(SearchQuery("1.000894")))[0] == ("lam-dong", "1.000894")


def test_abolished_procedures_only_when_asked(backend, catalogue):
    default = codes(backend.search(SearchQuery("khai sinh luu dong")))
    assert ("lam-dong", "2.000999") not in default
    every = codes(backend.search(SearchQuery("khai sinh luu dong", status="all")))
    assert ("lam-dong", "2.000999") in every
    abolished = codes(backend.search(SearchQuery("khai sinh", status="abolished")))
    assert abolished == [("lam-dong", "2.000999")]


def test_province_scope(backend, catalogue):
    results = backend.search(SearchQuery("khai sinh", province="cao-bang"))
    assert codes(results) == [("cao-bang", "2.000488")]


def test_filters_by_agency_field_tier_and_level(backend, catalogue):
    assert codes(backend.search(SearchQuery("giay phep", agency="SXD", level=3))) == [
        ("lam-dong", "1.000894")
    ]
    assert codes(backend.search(SearchQuery("khai sinh", tier="commune"))) == [
        ("cao-bang", "2.000488")
    ]
    assert {c for _, c in codes(backend.search(SearchQuery("giay phep", field="xay-dung")))} == {
        "1.000894",
        "1.000895",
    }


def test_facet_counts(backend, catalogue):
    facets = backend.search(SearchQuery("khai sinh")).facets
    assert {f.value: f.count for f in facets["field"]} == {"ho-tich": 2}
    assert {f.value: f.count for f in facets["tier"]}["commune"] == 1
    assert set(facets) == {"agency", "field", "tier", "level"}


def test_highlight_marks_accented_words_for_an_unaccented_query(backend, catalogue):
    hit = backend.search(SearchQuery("khai sinh", province="lam-dong")).hits[0]
    assert "<mark>khai</mark>" in hit.highlight and "<mark>sinh</mark>" in hit.highlight


def test_html_in_titles_is_escaped_in_highlights(backend, catalogue, db):
    ProcedureFactory(
        agency=catalogue["birth"].agency,
        code="9.000001",
        title="<script>alert(1)</script> Cấp phép thử",
        field=catalogue["birth"].field,
    )
    backend.rebuild(all_documents())
    hit = backend.search(SearchQuery("cap phep thu")).hits[0]
    assert "<script>" not in hit.highlight
    assert "&lt;script&gt;" in hit.highlight


def test_abbreviation_expands_through_synonyms(backend, catalogue):
    assert codes(backend.search(SearchQuery("GPXD")))[0] == ("lam-dong", "1.000894")


def test_typo_still_finds_the_procedure(backend, catalogue):
    assert ("lam-dong", "2.000488") in codes(backend.search(SearchQuery("dang ky khai sihn")))


def test_two_swapped_letters_are_one_typo(backend, catalogue):
    """ "pehp" shares almost no trigram with "phep": similarity alone would not find it."""
    assert codes(backend.search(SearchQuery("giay pehp xay dung")))[0] == ("lam-dong", "1.000894")


def test_only_the_unknown_word_is_corrected(backend, catalogue):
    """A typo in one word does not loosen the others: "cát" (sand) must not also find "cá"
    (fish), one edit away, because "phepp" needed correcting."""
    sxd, building = catalogue["permit"].agency, catalogue["permit"].field
    ProcedureFactory(
        agency=sxd, code="1.005001", title="Cấp giấy phép khai thác cát", field=building
    )
    ProcedureFactory(
        agency=sxd, code="1.005002", title="Cấp giấy phép khai thác cá", field=building
    )
    backend.rebuild(all_documents())
    found = codes(backend.search(SearchQuery("giay phepp khai thac cat")))
    assert found == [("lam-dong", "1.005001")]


def test_nothing_found_suggests_a_spelling(backend, catalogue):
    results = backend.search(SearchQuery("giay phep khai sihn"))
    assert results.total == 0
    assert results.suggestion == "giay phep khai sinh"


def test_autocomplete_suggests_titles_by_prefix(backend, catalogue):
    titles = [s.title for s in backend.suggest("dang ky kh")]
    assert "Đăng ký khai sinh" in titles


@pytest.mark.parametrize(
    "raw", ['"', "AND", "*", "OR 1=1 --", "a" * 300, "", "   ", "<script>", "🙂"]
)
def test_robust_to_any_input(backend, catalogue, raw):
    results = backend.search(SearchQuery(raw))
    assert results.total >= 0


def test_synonym_phrases_match_as_phrases_in_titles_and_keywords(backend, catalogue):
    """ "Sổ đỏ" means the land-use certificate; a procedure whose body only uses the words of
    that name apart is not it."""
    sxd, building = catalogue["permit"].agency, catalogue["permit"].field
    ProcedureFactory(
        agency=sxd,
        code="1.004227",
        title="Cấp giấy chứng nhận quyền sử dụng đất lần đầu",
        field=building,
    )
    ProcedureFactory(
        agency=sxd,
        code="1.009001",
        title="Thẩm định thiết kế công trình",
        requirements="Giấy tờ chứng nhận của chủ đầu tư về quyền được sử dụng đất",
        field=building,
    )
    backend.rebuild(all_documents())
    found = codes(backend.search(SearchQuery("sổ đỏ")))
    assert found == [("lam-dong", "1.004227")]


def test_every_page_of_many_results_can_be_read(backend, catalogue, monkeypatch):
    monkeypatch.setattr(database, "RANK_LIMIT", 10)  # the database backend ranks 10 at a time
    sxd, building = catalogue["permit"].agency, catalogue["permit"].field
    for n in range(45):
        ProcedureFactory(
            agency=sxd, code=f"3.{n:06d}", title=f"Cấp phép khai thác mỏ số {n}", field=building
        )
    backend.rebuild(all_documents())
    pages = [
        codes(backend.search(SearchQuery("khai thac mo", page=number, page_size=10)))
        for number in (1, 2, 3, 4, 5)
    ]
    seen = [code for page in pages for code in page]
    assert [len(page) for page in pages] == [10, 10, 10, 10, 5]
    assert len(set(seen)) == 45


def test_a_snippet_shows_where_the_body_matched(backend, catalogue):
    sxd, building = catalogue["permit"].agency, catalogue["permit"].field
    ProcedureFactory(
        agency=sxd,
        code="1.009003",
        title="Cấp phép di dời công trình",
        requirements="Công trình <b>không</b> nằm trong hành lang bảo vệ đê điều.",
        field=building,
    )
    backend.rebuild(all_documents())
    hit = backend.search(SearchQuery("hanh lang de dieu")).hits[0]
    assert hit.code == "1.009003"
    assert "<mark>hành</mark> <mark>lang</mark>" in hit.snippet
    assert "&lt;b&gt;" in hit.snippet and "<b>" not in hit.snippet
    birth = backend.search(SearchQuery("khai sinh", province="lam-dong")).hits[0]
    assert birth.snippet == ""  # its body does not hold the words


def test_a_short_last_word_is_a_whole_word_not_a_prefix(backend, catalogue):
    """ "ma so do" is not "mã số đơn…": a last word under three letters is taken whole (as a
    prefix it would be đơn, đông, đối…); autocomplete still takes it as typed so far."""
    ProcedureFactory(
        agency=catalogue["permit"].agency,
        code="1.009005",
        title="Cấp mã số đơn vị quan hệ ngân sách",
        field=catalogue["permit"].field,
    )
    backend.rebuild(all_documents())
    assert ("lam-dong", "1.009005") not in codes(backend.search(SearchQuery("ma so do")))
    assert codes(backend.search(SearchQuery("ma so don")))[0] == ("lam-dong", "1.009005")
    assert "Cấp mã số đơn vị quan hệ ngân sách" in [s.title for s in backend.suggest("ma so d")]


def test_among_equals_the_procedure_whose_forms_are_downloaded_more_comes_first(backend, catalogue):
    agency, field = catalogue["permit"].agency, catalogue["permit"].field
    quiet, used = FormDocumentFactory(code="TK-1"), FormDocumentFactory(code="TK-2")
    for code, title, form in (("1.000071", "A", quiet), ("1.000072", "B", used)):
        ProcedureFactory(
            agency=agency, code=code, title=f"Cấp phép nuôi cá {title}", field=field,
            documents=citing(form),
        )  # fmt: skip
    count_download([used.pk, used.pk])
    backend.rebuild(all_documents())
    assert codes(backend.search(SearchQuery("nuoi ca")))[:2] == [
        ("lam-dong", "1.000072"),
        ("lam-dong", "1.000071"),
    ]
