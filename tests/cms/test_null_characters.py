"""A NUL character in a query string, which PostgreSQL's text cannot hold, is a 400 that names
the parameter on every path (schemathesis found agencies/ answering 500 on PostgreSQL)."""

import pytest

from ..factories import small_catalogue


@pytest.fixture
def catalog(db):
    return small_catalogue()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/agencies/",
        "/api/v1/procedures/",
        "/api/v1/changes/",
        "/api/v1/suggest/",
        "/api/v1/forms/",
    ],
)
def test_the_feed_names_the_parameter(client, catalog, path):
    response = client.get(
        path, {"province": "lam\x00dong"}, HTTP_ORIGIN="https://sxd.lamdong.gov.vn"
    )
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {"province": ["Tham số “province” chứa ký tự NUL, không hợp lệ."]}


@pytest.mark.parametrize(
    "path", ["/tim-kiem/", "/feeds/procedures.atom", "/bieu-mau/", "/embed/catalog/"]
)
def test_a_page_answers_in_its_language(client, catalog, path):
    response = client.get(path, {"q": "giấy\x00phép"})
    assert response.status_code == 400
    assert "Tham số “q” chứa ký tự NUL" in response.content.decode()


def test_the_english_page_says_it_in_english(client, catalog):
    response = client.get("/en/tim-kiem/", {"agency": "\x00"})
    assert response.status_code == 400
    assert "The parameter “agency” contains a NUL character" in response.content.decode()


def test_a_nul_in_a_parameter_name_is_refused_too(client, catalog):
    response = client.get("/api/v1/procedures/?a%00b=1")
    assert response.status_code == 400
    assert list(response.json()) == ["ab"]


def test_other_queries_pass(client, catalog):
    assert client.get("/api/v1/agencies/", {"province": "lam-dong"}).status_code == 200
    assert client.get("/tim-kiem/", {"q": "giấy phép"}).status_code == 200
