"""/api/v1/search/, /api/v1/suggest/ and the /tim-kiem/ page, over one small indexed catalogue
built once for the module (each test runs in its own savepoint)."""

import html
import re

import pytest
from wagtail.models import Site

from catalog.models import ProcedurePage
from search.backends.database import DatabaseBackend
from search.documents import all_documents, document_for

from ..factories import ProcedureFactory, small_catalogue

SEARCH = "/api/v1/search/"
SUGGEST = "/api/v1/suggest/"
PAGE = "/tim-kiem/"
HIT_KEYS = {
    "id",
    "code",
    "province",
    "title",
    "url",
    "agency",
    "field",
    "level",
    "status",
    "score",
    "highlight",
    "snippet",
}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search")]


@pytest.fixture(scope="module")
def catalogue(module_transaction) -> dict:
    """The small catalogue (tests/factories.py), indexed by the database backend."""
    pages = small_catalogue()
    DatabaseBackend().rebuild(all_documents())
    return pages


def api(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.content
    return response.json()


def codes(body) -> list[tuple[str, str]]:
    return [(r["province"], r["code"]) for r in body["results"]]


@pytest.fixture
def cao_bang_portal(catalogue):
    site = Site.objects.create(hostname="dvc.caobang.example", port=80, root_page=catalogue["cb"])
    yield "dvc.caobang.example"
    site.delete()  # also clears Wagtail's cached site list


# --- /api/v1/search/ ------------------------------------------------------------------------------


def test_search_answer_shape(client, catalogue):
    body = api(client, q="giay phep xay dung")
    assert set(body) == {
        "query",
        "count",
        "backend",
        "degraded",
        "suggestion",
        "searched",
        "partial",
        "best_bets",
        "results",
        "facets",
    }
    assert body["query"] == "giay phep xay dung"
    assert body["backend"] == "database"
    assert body["degraded"] is False
    assert body["suggestion"] is None
    assert (body["searched"], body["partial"]) == ("", False)
    assert body["best_bets"] == []
    assert body["count"] == len(body["results"]) >= 1

    first = body["results"][0]
    assert set(first) == HIT_KEYS
    permit = catalogue["permit"]
    assert first["id"] == permit.pk
    assert (first["province"], first["code"]) == ("lam-dong", "1.000894")
    assert first["title"] == "Cấp giấy phép xây dựng"
    assert first["url"] == permit.get_url()
    assert (first["agency"], first["field"]) == ("Sở Xây dựng", "Xây dựng")
    assert (first["level"], first["status"]) == (3, "active")
    assert isinstance(first["score"], int | float) and first["score"] > 0
    assert "<mark>" in first["highlight"]

    assert set(body["facets"]) == {"agency", "field", "tier", "level"}
    for values in body["facets"].values():
        for value in values:
            assert set(value) == {"value", "label", "count"}
    assert {"value": "SXD", "label": "Sở Xây dựng", "count": 2} in body["facets"]["agency"]
    assert {"value": "3", "label": "Mức độ 3", "count": 1} in body["facets"]["level"]
    assert {v["value"] for v in body["facets"]["tier"]} == {"province"}


def test_facet_counts_cover_every_match_not_only_the_page(client, catalogue):
    body = api(client, q="khai sinh", page_size=1)
    assert body["count"] == 2 and len(body["results"]) == 1
    assert {(v["value"], v["count"]) for v in body["facets"]["agency"]} == {
        ("STP", 1),
        ("UBND-XA", 1),
    }
    assert {(v["value"], v["count"]) for v in body["facets"]["tier"]} == {
        ("province", 1),
        ("commune", 1),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"province": "cao-bang"}, [("cao-bang", "2.000488")]),
        ({"province": "lam-dong"}, [("lam-dong", "2.000488")]),
        ({"agency": "UBND-XA"}, [("cao-bang", "2.000488")]),
        ({"tier": "commune"}, [("cao-bang", "2.000488")]),
        ({"status": "abolished"}, [("lam-dong", "2.000999")]),
        ({"field": "xay-dung"}, []),
        ({"level": 4}, []),
    ],
)
def test_search_filters(client, catalogue, params, expected):
    assert codes(api(client, q="khai sinh", **params)) == expected


def test_filters_by_field_and_level(client, catalogue):
    assert {c for _, c in codes(api(client, q="cap giay phep", field="xay-dung"))} == {
        "1.000894",
        "1.000895",
    }
    assert codes(api(client, q="cap giay phep", level=3)) == [("lam-dong", "1.000894")]
    # Nothing in the field holds every word: those holding most of them, said so.
    partial = api(client, q="cap giay phep", field="ho-tich")
    assert partial["partial"] is True and partial["searched"] == "cap giay phep"
    assert {c for _, c in codes(partial)} <= {"2.000488", "2.000999"}


def test_status_all_includes_abolished_procedures(client, catalogue):
    active = api(client, q="khai sinh luu dong")
    assert ("lam-dong", "2.000999") not in codes(active)
    every = api(client, q="khai sinh luu dong", status="all")
    assert codes(every)[0] == ("lam-dong", "2.000999")
    assert every["results"][0]["status"] == "abolished"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "9"}, "level"),
        ({"level": "abc"}, "level"),
        ({"tier": "quan"}, "tier"),
        ({"status": "deleted"}, "status"),
        ({"page": "0"}, "page"),
        ({"page_size": "1000"}, "page_size"),
    ],
)
def test_invalid_parameters_are_a_400_with_a_message(client, catalogue, params, field):
    response = client.get(SEARCH, {"q": "khai sinh", **params})
    assert response.status_code == 400
    messages = response.json()[field]
    assert messages and all(isinstance(m, str) and m for m in messages)


def test_pages_of_results(client, catalogue):
    everything = api(client, q="khai sinh", status="all")
    assert everything["count"] == 3
    pages = [
        api(client, q="khai sinh", status="all", page=n, page_size=2)["results"] for n in (1, 2, 3)
    ]
    assert [len(p) for p in pages] == [2, 1, 0]
    assert [r["id"] for p in pages for r in p] == [r["id"] for r in everything["results"]]


def test_english(client, catalogue):
    response = client.get(SEARCH, {"q": "construction permit", "lang": "en"})
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    body = response.json()
    assert codes(body)[0] == ("lam-dong", "1.000894")
    assert {"value": "3", "label": "Level 3", "count": 1} in body["facets"]["level"]


@pytest.mark.parametrize(
    "raw",
    ['"', "AND", "OR NOT", "*", "a" * 300, "<script>alert(1)</script>", "1.", "()", "🙂", "   "],
)
def test_any_query_is_answered(client, catalogue, raw):
    body = api(client, q=raw)
    assert body["count"] >= 0
    assert "<script>" not in str(body["results"])


def test_an_empty_query_finds_nothing(client, catalogue):
    body = api(client)
    assert (body["query"], body["count"], body["results"]) == ("", 0, [])


def test_a_province_portal_searches_only_its_province(client, catalogue, cao_bang_portal):
    response = client.get(SEARCH, {"q": "khai sinh"}, HTTP_HOST=cao_bang_portal)
    assert codes(response.json()) == [("cao-bang", "2.000488")]
    # Its visitors cannot widen the scope with ?province=.
    response = client.get(
        SEARCH, {"q": "khai sinh", "province": "lam-dong"}, HTTP_HOST=cao_bang_portal
    )
    assert codes(response.json()) == [("cao-bang", "2.000488")]
    # The default site still searches every province.
    assert {p for p, _ in codes(api(client, q="khai sinh"))} == {"lam-dong", "cao-bang"}


def test_search_is_read_only(client, catalogue):
    assert client.post(SEARCH, {"q": "khai sinh"}).status_code == 405
    assert client.post(SUGGEST, {"q": "khai sinh"}).status_code == 405


def test_search_answers_conditional_requests_and_any_origin(client, catalogue):
    response = client.get(SEARCH, {"q": "khai sinh"}, HTTP_ORIGIN="https://portal.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"]
    again = client.get(SEARCH, {"q": "khai sinh"}, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_search_sends_last_modified(client, catalogue):
    assert client.get(SEARCH, {"q": "khai sinh"}).has_header("Last-Modified")


# --- /api/v1/suggest/ -----------------------------------------------------------------------------


def test_suggest_gives_titles_by_prefix(client, catalogue):
    response = client.get(SUGGEST, {"q": "dang ky"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "dang ky"
    assert [r["title"] for r in body["results"]] == ["Đăng ký khai sinh", "Đăng ký khai sinh"]
    assert set(body["results"][0]) == {"code", "province", "title", "url"}
    # Abolished procedures are not suggested.
    assert "Đăng ký khai sinh lưu động" not in [r["title"] for r in body["results"]]


def test_suggest_completes_the_last_word_and_takes_a_province(client, catalogue):
    body = client.get(SUGGEST, {"q": "cap giay ph", "province": "lam-dong"}).json()
    assert {r["code"] for r in body["results"]} == {"1.000894", "1.000895"}
    body = client.get(SUGGEST, {"q": "dang ky kh", "province": "cao-bang"}).json()
    assert [(r["province"], r["code"]) for r in body["results"]] == [("cao-bang", "2.000488")]


def test_a_province_portal_suggests_only_its_province(client, catalogue, cao_bang_portal):
    response = client.get(SUGGEST, {"q": "dang ky"}, HTTP_HOST=cao_bang_portal)
    assert [(r["province"], r["code"]) for r in response.json()["results"]] == [
        ("cao-bang", "2.000488")
    ]


@pytest.mark.parametrize("raw", ["", "   ", '"', "*"])
def test_suggest_without_words_suggests_nothing(client, catalogue, raw):
    response = client.get(SUGGEST, {"q": raw})
    assert response.status_code == 200
    assert response.json()["results"] == []


# --- the /tim-kiem/ page --------------------------------------------------------------------------


def page(client, path=PAGE, **params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


def result_count(content: str) -> int:
    return int(re.search(r'<p class="meta" role="status">(\d+) ', content).group(1))


def result_links(content: str) -> list[str]:
    listing = content.split('<ol class="results">', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<li(?: class="best-bet")?><a href="([^"]*)"', listing)


def test_the_page_shows_highlighted_results(client, catalogue):
    content = page(client, q="khai sinh")
    assert result_count(content) == 2
    assert "Đăng ký <mark>khai</mark> <mark>sinh</mark>" in content
    assert set(result_links(content)) == {
        catalogue["birth"].get_url(),
        catalogue["birth_cb"].get_url(),
    }
    assert 'value="khai sinh"' in content  # the query stays in the box


def test_the_page_shows_where_the_body_matched(client, catalogue):
    sxd = catalogue["permit"].agency
    ProcedureFactory(
        agency=sxd,
        code="1.009004",
        title="Cấp phép di dời công trình",
        requirements="Công trình nằm ngoài hành lang bảo vệ đê điều.",
    )
    DatabaseBackend().rebuild(all_documents())
    content = page(client, q="đê điều")
    assert '<span class="snippet">' in content
    assert "<mark>đê</mark> <mark>điều</mark>" in content


def test_a_page_past_the_paged_results_shows_the_last_one(client, catalogue, monkeypatch):
    monkeypatch.setattr("search.views.MAX_PAGED_RESULTS", 1)
    monkeypatch.setattr("search.backends.database.MAX_PAGED_RESULTS", 1)
    content = page(client, q="khai sinh", page_size=1, page=60)
    assert result_count(content) == 2  # all counted
    assert len(result_links(content)) == 1
    assert "Trang 1/1" in content


def test_without_a_query_the_page_shows_only_the_form(client, catalogue):
    content = page(client)
    assert 'role="search"' in content
    assert '<ol class="results">' not in content


def test_facet_links_narrow_the_results(client, catalogue):
    content = page(client, q="khai sinh")
    facet_hrefs = re.findall(r'<a href="(\?[^"]*)"[^>]*>UBND cấp xã</a>', content)
    assert len(facet_hrefs) == 1
    href = html.unescape(facet_hrefs[0])
    assert "agency=UBND-XA" in href and "q=khai" in href

    narrowed = client.get(PAGE + href).content.decode()
    assert result_count(narrowed) == 1
    assert result_links(narrowed) == [catalogue["birth_cb"].get_url()]
    # The active facet is marked, and its link removes the filter again.
    active = re.search(r'<a href="(\?[^"]*)" aria-current="true">UBND cấp xã</a>', narrowed)
    assert active is not None
    assert "agency=" not in html.unescape(active.group(1))
    assert 'name="agency" value="UBND-XA"' in narrowed  # kept when searching again


def test_did_you_mean_when_nothing_matches(client, catalogue):
    content = page(client, q="giay phep khai sihn")
    assert "Có phải bạn muốn tìm" in content
    assert '<a href="?q=giay%20phep%20khai%20sinh">giay phep khai sinh</a>' in content
    # ... and meanwhile the procedures holding most of the words, said so.
    assert result_count(content) > 0
    assert "Không có thủ tục nào chứa đủ các từ đã nhập" in content


def test_the_filler_of_how_people_ask_is_left_out_when_nothing_holds_it(client, catalogue):
    body = api(client, q="xin giay phep xay dung o dau")
    assert (body["searched"], body["partial"]) == ("giay phep xay dung", False)
    assert codes(body)[0] == ("lam-dong", "1.000894")
    assert "Kết quả cho: <strong>giay phep xay dung</strong>" in page(
        client, q="xin giay phep xay dung o dau"
    )


def test_a_query_with_no_result_says_so(client, catalogue):
    content = page(client, q="qwxz zzvk")
    assert result_count(content) == 0
    assert "Không tìm thấy thủ tục phù hợp" in content
    assert "Có phải bạn muốn tìm" not in content


def test_titles_are_escaped(client, catalogue):
    xss = ProcedureFactory(
        agency=catalogue["birth"].agency,
        code="9.000001",
        title="<script>alert(1)</script> Cấp phép",
        field=catalogue["birth"].field,
    )
    DatabaseBackend().index([document_for(xss)])
    content = page(client, q="alert cap phep")
    # "alert" stands alone (a run does not cross the bracket): "Cấp phép" is the phrase marked
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Cấp</mark> <mark>phép</mark>" in content
    assert "<script>alert(1)" not in content
    body = api(client, q="alert cap phep")
    assert "<script>" not in body["results"][0]["highlight"]


def test_the_query_is_escaped_in_the_page(client, catalogue):
    content = page(client, q='"><script>alert(2)</script>')
    assert "<script>alert(2)" not in content
    assert "&lt;script&gt;alert(2)" in content


def test_many_results_are_paginated(client, catalogue):
    agency, field = catalogue["birth"].agency, catalogue["birth"].field
    adverts = [
        ProcedureFactory(
            agency=agency, field=field, code=f"5.{n:06d}", title=f"Cấp phép quảng cáo {n}"
        )
        for n in range(25)
    ]
    DatabaseBackend().index(document_for(p) for p in adverts)

    first = page(client, q="quang cao")
    assert result_count(first) == 25
    assert len(result_links(first)) == 20
    assert "Trang 1/2" in first and "Trang trước" not in first
    next_href = re.search(r'<a href="(\?[^"]*)">Trang sau</a>', first).group(1)
    second = page(client, PAGE + html.unescape(next_href))
    assert "Trang 2/2" in second and "Trang sau" not in second
    assert len(result_links(second)) == 5
    assert set(result_links(first)) | set(result_links(second)) == {p.get_url() for p in adverts}
    previous = re.search(r'<a href="(\?[^"]*)">Trang trước</a>', second).group(1)
    assert result_links(page(client, PAGE + html.unescape(previous))) == result_links(first)


def test_pagination_links_keep_the_page_size(client, catalogue):
    content = page(client, q="khai sinh", status="all", page_size=1)
    assert result_count(content) == 3
    assert len(result_links(content)) == 1
    assert "Trang 1/3" in content
    next_href = re.search(r'<a href="(\?[^"]*)">Trang sau</a>', content).group(1)
    second = page(client, PAGE + html.unescape(next_href))
    assert "Trang 2/3" in second
    assert len(result_links(second)) == 1
    assert result_links(second) != result_links(content)


def test_no_pagination_when_everything_fits(client, catalogue):
    content = page(client, q="khai sinh")
    assert 'class="pagination"' not in content


def test_an_invalid_filter_on_the_page_is_explained_not_a_500(client, catalogue):
    content = page(client, q="khai sinh", level="9")
    assert "Bộ lọc không hợp lệ" in content


def test_the_english_page(client, catalogue):
    response = client.get("/en/tim-kiem/", {"q": "khai sinh"})
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert result_count(content) == 2
    assert "<mark>khai</mark>" in content


def test_english_results_show_english_titles_and_english_pages(client, catalogue):
    found = client.get("/api/v1/search/", {"q": "khai sinh"}).json()["results"]
    page_ = ProcedurePage.objects.get(pk=found[0]["id"])
    page_.title_en = "Birth registration"
    page_.save_revision().publish()

    english = client.get("/api/v1/search/", {"q": "khai sinh", "lang": "en"}).json()["results"]
    first = next(hit for hit in english if hit["id"] == page_.pk)
    assert first["title"] == "Birth registration"
    assert first["url"].startswith("/en/") and first["url"].endswith(page_.url)
    content = client.get("/en/tim-kiem/", {"q": "birth registration"}).content.decode()
    assert "<mark>Birth</mark> <mark>registration</mark>" in content


def test_english_suggestions_show_english_titles(client, catalogue):
    body = client.get(SUGGEST, {"q": "dang ky kh", "province": "cao-bang"}).json()
    page_ = ProcedurePage.objects.get(province__code="cao-bang", code=body["results"][0]["code"])
    page_.title_en = "Birth registration"
    page_.save_revision().publish()
    english = client.get(SUGGEST, {"q": "dang ky kh", "province": "cao-bang", "lang": "en"})
    [result] = english.json()["results"]
    assert result["title"] == "Birth registration" and result["url"].startswith("/en/")


def test_a_province_portal_page_shows_only_its_province(client, catalogue, cao_bang_portal):
    response = client.get(PAGE, {"q": "khai sinh"}, HTTP_HOST=cao_bang_portal)
    content = response.content.decode()
    assert result_count(content) == 1


def test_the_header_search_box_points_at_the_search_page(client, catalogue):
    content = page(client, "/")
    header = content.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    form = re.search(r'<form role="search" action="([^"]+)" method="get"', header)
    assert form.group(1) == PAGE
    assert 'name="q"' in header
    assert 'action="/en/tim-kiem/"' in page(client, "/en/")
    # The search page has it too (and its own form).
    assert 'action="/tim-kiem/"' in page(client, q="khai sinh")


# --- the page's filters, headings and notices (issue 11) ------------------------------------------


def test_abolished_procedures_are_left_out_unless_asked_for(client, catalogue):
    content = page(client, q="khai sinh luu dong")
    assert catalogue["abolished"].get_url() not in result_links(content)
    include = re.search(r'<a href="(\?[^"]*)">Gồm cả thủ tục đã bãi bỏ</a>', content)
    assert include is not None
    with_abolished = client.get(PAGE + html.unescape(include.group(1))).content.decode()
    assert catalogue["abolished"].get_url() in result_links(with_abolished)
    assert "Đã bãi bỏ" in with_abolished
    # and back: the link now leaves them out again
    assert "Chỉ thủ tục còn hiệu lực" in with_abolished


def test_the_plain_search_carries_no_default_filter_in_its_links(client, catalogue):
    content = page(client, q="khai sinh")
    hrefs = [html.unescape(h) for h in re.findall(r'href="(\?[^"]*)"', content)]
    assert hrefs and not any("status=active" in h or "page_size=20" in h for h in hrefs)
    assert "Bỏ mọi bộ lọc" not in content  # nothing to clear


def test_a_filtered_search_has_a_link_that_clears_its_filters(client, catalogue):
    content = page(client, q="khai sinh", agency="UBND-XA", status="all")
    clear = re.search(r'<a href="(\?[^"]*)">Bỏ mọi bộ lọc</a>', content)
    assert clear is not None
    assert html.unescape(clear.group(1)) == "?q=khai+sinh"
    cleared = client.get(PAGE + html.unescape(clear.group(1))).content.decode()
    assert result_count(cleared) == 2


def test_headings_go_from_the_page_to_facets_and_results(client, catalogue):
    content = page(client, q="khai sinh")
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", content.split("<main", 1)[1])]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert '<h2 id="results-heading">Kết quả</h2>' in content


def test_the_count_is_in_the_title_and_announced(client, catalogue):
    content = page(client, q="khai sinh")
    assert "<title>khai sinh (2 thủ tục)" in content
    assert '<p class="meta" role="status">2 thủ tục</p>' in content


def test_the_degraded_notice(client, catalogue, settings):
    from search.backends import configured_backend

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens: the database answers
    configured_backend.cache_clear()
    try:
        content = page(client, q="khai sinh")
    finally:
        configured_backend.cache_clear()
    assert "Máy chủ tìm kiếm đang gặp sự cố" in content
    assert result_count(content) == 2


def test_the_filter_links_in_english(client, catalogue):
    content = page(client, "/en/tim-kiem/", q="khai sinh", agency="UBND-XA")
    assert ">Clear all filters</a>" in content
    assert ">Include abolished procedures</a>" in content
    assert '<h2 id="results-heading">Results</h2>' in content
