"""The feed as a good citizen of the web: ordering, CSV, conditional lists decided early, CORS
preflight, caching headers and methods that are not allowed."""

import csv
import gzip
import io

import pytest

from catalog.models import ProcedurePage
from catalog.transfer.columns import COLUMNS

from ..factories import small_catalogue

LIST = "/api/v1/procedures/"


@pytest.fixture
def catalog(db):
    return small_catalogue()


def codes(client, **params) -> list[tuple[str, str]]:
    results = client.get(LIST, params).json()["results"]
    return [(r["province"]["code"], r["code"]) for r in results]


def test_ordering_by_code_title_and_update(client, catalog):
    assert codes(client, ordering="-code") == [
        ("cao-bang", "2.000488"),
        ("lam-dong", "2.000488"),
        ("lam-dong", "1.000895"),
        ("lam-dong", "1.000894"),
    ]
    titles = [r["title"] for r in client.get(LIST, {"ordering": "title"}).json()["results"]]
    assert titles == [
        "Cấp giấy phép sửa chữa nhà ở",
        "Cấp giấy phép xây dựng",
        "Đăng ký khai sinh",
        "Đăng ký khai sinh",
    ]
    page = ProcedurePage.objects.get(pk=catalog["repair"].pk)
    page.save_revision().publish()
    assert codes(client, ordering="-updated")[0] == ("lam-dong", "1.000895")


def test_an_unknown_ordering_is_named(client, catalog):
    response = client.get(LIST, {"ordering": "price"})
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_csv_of_a_filtered_list_opens_in_excel(client, catalog):
    response = client.get(LIST, {"format": "csv", "province": "lam-dong", "page_size": 1})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == [c.header for c in COLUMNS]
    # The whole filtered list, not the page: Lâm Đồng's three procedures in force.
    assert sorted(row[0] for row in rows[1:]) == ["1.000894", "1.000895", "2.000488"]
    assert "Cấp giấy phép xây dựng" in body


def test_a_list_conditional_hit_is_304_with_the_same_headers(client, catalog):
    first = client.get(LIST, {"province": "lam-dong"})
    assert first["Cache-Control"] == "public, max-age=60"
    again = client.get(LIST, {"province": "lam-dong"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["X-Changes-Cursor"] == first["X-Changes-Cursor"]
    other = client.get(LIST, {"province": "cao-bang"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200


def test_lists_are_compressed_when_asked(client, catalog):
    response = client.get(LIST, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).startswith(b'{"count":')


def test_cors_preflight_allows_get_and_head_from_any_origin(client, catalog):
    response = client.options(
        LIST,
        HTTP_ORIGIN="https://ubndxa.caobang.gov.vn",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].split(", ")) >= {"GET", "HEAD"}
    assert "if-none-match" in response["Access-Control-Allow-Headers"]
    get = client.get(LIST, HTTP_ORIGIN="https://ubndxa.caobang.gov.vn")
    assert "X-Changes-Cursor" in get["Access-Control-Expose-Headers"]


@pytest.mark.parametrize(
    "path", [LIST, f"{LIST}1.000894/", "/api/v1/forms/", "/api/v1/changes/", "/api/v1/fields/"]
)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
def test_writes_are_not_allowed(client, catalog, path, method):
    response = client.generic(method.upper(), path, data=b"{}", content_type="application/json")
    assert response.status_code == 405
