"""agencies/, fields/ and life-events/: menus for portals, with procedure counts that agree with
what procedures/ lists."""

import pytest

from ..factories import LifeEventFactory, small_catalogue


@pytest.fixture
def catalog(db):
    pages = small_catalogue()
    event = LifeEventFactory(code="khai-sinh", name="Khai sinh", name_en="Birth")
    for name in ("birth", "birth_cb"):
        pages[name].life_events.add(event)
        pages[name].save_revision().publish()
    return pages


def by_code(items: list[dict]) -> dict[str, dict]:
    return {item["code"]: item for item in items}


def test_fields_count_procedures_in_force(client, catalog):
    fields = by_code(client.get("/api/v1/fields/").json())
    # Lâm Đồng's abolished birth registration is not counted; both provinces' are.
    assert fields["ho-tich"]["procedure_count"] == 2
    assert fields["xay-dung"]["procedure_count"] == 2
    listed = client.get("/api/v1/procedures/", {"field": "ho-tich"}).json()["count"]
    assert listed == fields["ho-tich"]["procedure_count"]


def test_a_province_sees_only_what_leads_to_its_procedures(client, catalog):
    fields = by_code(client.get("/api/v1/fields/", {"province": "cao-bang"}).json())
    assert set(fields) == {"ho-tich"}
    assert fields["ho-tich"]["procedure_count"] == 1


def test_agencies_with_counts_and_tier(client, catalog):
    agencies = by_code(client.get("/api/v1/agencies/", {"province": "lam-dong"}).json()["results"])
    assert set(agencies) == {"SXD", "STP"}
    assert agencies["SXD"]["procedure_count"] == 2
    assert agencies["STP"]["procedure_count"] == 1
    assert agencies["SXD"]["name"] == "Sở Xây dựng"
    assert agencies["SXD"]["url"].startswith("http://testserver/")
    communes = client.get("/api/v1/agencies/", {"tier": "commune"}).json()["results"]
    assert [a["code"] for a in communes] == ["UBND-XA"]


def test_life_events_in_both_languages(client, catalog):
    events = by_code(client.get("/api/v1/life-events/").json())
    assert events["khai-sinh"]["procedure_count"] == 2
    english = by_code(client.get("/api/v1/life-events/", {"lang": "en"}).json())
    assert english["khai-sinh"]["name"] == "Birth"


def test_one_field_by_code_and_an_unknown_one(client, catalog):
    assert client.get("/api/v1/fields/ho-tich/").json()["procedure_count"] == 2
    assert client.get("/api/v1/fields/khong-co/").status_code == 404
