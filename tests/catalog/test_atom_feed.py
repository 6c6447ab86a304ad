"""/feeds/procedures.atom: the change log as valid Atom 1.0, by province and by agency."""

import xml.etree.ElementTree as ET

import pytest

from catalog.models import ProcedurePage

from ..factories import small_catalogue

FEED = "/feeds/procedures.atom"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def catalog(db):
    return small_catalogue()


def entries(client, **params) -> tuple[ET.Element, list[ET.Element]]:
    response = client.get(FEED, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own response)
    return feed, feed.findall(f"{ATOM}entry")


def test_the_feed_is_atom_with_what_the_standard_requires(client, catalog):
    feed, items = entries(client)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text
    assert feed.find(f"{ATOM}link[@rel='alternate']") is not None
    assert len(items) == 5
    ids = set()
    for entry in items:
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}").text
        ids.add(entry.find(f"{ATOM}id").text)
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
    assert len(ids) == 5


def test_newest_first_with_the_kind_and_the_procedure(client, catalog):
    ProcedurePage.objects.get(pk=catalog["repair"].pk).delete()
    _, items = entries(client)
    newest = items[0]
    assert newest.find(f"{ATOM}title").text == (
        "Xóa khỏi danh mục: Cấp giấy phép sửa chữa nhà ở (1.000895)"
    )
    assert newest.find(f"{ATOM}category").get("term") == "deleted"
    permit = next(e for e in items if "1.000894" in e.find(f"{ATOM}title").text)
    assert permit.find(f"{ATOM}link").get("href").endswith(catalog["permit"].url)


def test_per_agency_and_per_province(client, catalog):
    _, sxd = entries(client, agency="SXD")
    assert {e.find(f"{ATOM}title").text.split("(")[-1] for e in sxd} == {"1.000894)", "1.000895)"}
    _, cao_bang = entries(client, province="cao-bang")
    assert len(cao_bang) == 1


def test_an_unknown_agency_is_not_found(client, catalog):
    assert client.get(FEED, {"agency": "KHONG-CO"}).status_code == 404
