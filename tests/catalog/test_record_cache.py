"""catalog.record_cache: the feed's records come built from the cache, and never stale.

Each case reads the list once (so that its records are kept), changes something a record shows,
and reads again: the record served must be the one built fresh, as if nothing were kept."""

import pytest
from django.core.cache import caches

from catalog.models import LifeEvent, ProcedureChange, ProcedurePage
from catalog.record_cache import cached_records

from ..factories import LifeEventFactory, small_catalogue

LIST = "/api/v1/procedures/"


@pytest.fixture
def catalog(db):
    return small_catalogue()


def listed(client, **params) -> dict[str, dict]:
    results = client.get(LIST, {"page_size": 500, "province": "lam-dong", **params}).json()
    return {record["code"]: record for record in results["results"]}


def republish(page: ProcedurePage, **values) -> None:
    page = ProcedurePage.objects.get(pk=page.pk)
    for name, value in values.items():
        setattr(page, name, value)
    page.save_revision().publish()


def fresh(client, **params) -> dict[str, dict]:
    """The list as it is built with nothing kept."""
    caches["records"].clear()
    return listed(client, **params)


@pytest.mark.django_db
def test_records_are_kept_once_built(client, catalog):
    permit = catalog["permit"]
    assert listed(client) == fresh(client)
    assert cached_records([permit.pk])[permit.pk]["code"] == "1.000894"
    assert len(caches["records"]._cache) >= 3  # the Lâm Đồng records of the list and this one


@pytest.mark.django_db
def test_an_edit_published_is_served_at_once(client, catalog):
    permit = catalog["permit"]
    listed(client)
    republish(permit, fee="Lệ phí mới: 75.000 đồng")
    assert listed(client)["1.000894"]["fee"] == "Lệ phí mới: 75.000 đồng"
    assert listed(client) == fresh(client)


@pytest.mark.django_db
def test_each_language_and_host_keeps_its_own_record(client, catalog):
    vi, en = listed(client), listed(client, lang="en")
    assert vi["1.000894"]["title"] == "Cấp giấy phép xây dựng"
    assert en["1.000894"]["title"] == "Construction permit"
    other_host = client.get(LIST, {"page_size": 500}, HTTP_HOST="portal.example.vn").json()
    urls = {record["url"] for record in other_host["results"]}
    assert urls and all(url.startswith("http://portal.example.vn/") for url in urls)


@pytest.mark.django_db
def test_a_life_event_renamed_reaches_the_records_citing_it(client, catalog):
    permit = catalog["permit"]
    event = LifeEventFactory(name="Xây nhà")
    page = ProcedurePage.objects.get(pk=permit.pk)
    page.life_events.add(event)
    page.save_revision().publish()
    assert listed(client)["1.000894"]["life_events"][0]["name"] == "Xây nhà"
    before = ProcedureChange.objects.count()

    event = LifeEvent.objects.get(pk=event.pk)
    event.name = "Xây dựng, sửa chữa nhà ở"
    event.save()
    assert ProcedureChange.objects.count() == before + 1
    assert listed(client)["1.000894"]["life_events"][0]["name"] == "Xây dựng, sửa chữa nhà ở"


@pytest.mark.django_db
def test_a_successor_recoded_or_deleted_reaches_its_predecessor(client, catalog):
    permit, repair = catalog["permit"], catalog["repair"]
    republish(repair, successor=ProcedurePage.objects.get(pk=permit.pk))
    page = ProcedurePage.objects.get(pk=repair.pk)
    page.related_procedures.add(ProcedurePage.objects.get(pk=permit.pk))
    page.save_revision().publish()
    assert listed(client)["1.000895"]["successor"] == "1.000894"

    republish(permit, code="1.000999")
    record = listed(client)["1.000895"]
    assert (record["successor"], record["related_procedures"]) == ("1.000999", ["1.000999"])

    ProcedurePage.objects.get(pk=permit.pk).delete()
    record = listed(client)["1.000895"]
    assert (record["successor"], record["related_procedures"]) == (None, [])
    assert listed(client) == fresh(client)


@pytest.mark.django_db
def test_a_procedure_unpublished_leaves_the_list(client, catalog):
    permit = catalog["permit"]
    listed(client)
    ProcedurePage.objects.get(pk=permit.pk).unpublish()
    assert "1.000894" not in listed(client)
    assert cached_records([permit.pk]) == {}
