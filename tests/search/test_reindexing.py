"""What a procedure's parents and taxonomies change reaches the index: renaming or re-slugging an
agency or a province, moving an agency, renaming a field or a subject reindexes the procedures
below or citing them, in one indexing call per batch, once the transaction commits; the feed
shows the same names and URLs, and says it changed; a draft saved before a move, published after
it, keeps the tree's province."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from catalog.models import AgencyPage, ProcedureChange, ProcedurePage, ProvincePage
from search.backends import search
from search.backends.base import SearchQuery
from search.backends.database import DatabaseBackend

from ..factories import (
    AgencyFactory,
    FieldFactory,
    ProcedureFactory,
    SubjectFactory,
    cao_bang_province,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search")]

CODES = ["1.000101", "1.000102", "1.000103"]


@pytest.fixture
def indexed(agency, building, django_capture_on_commit_callbacks):
    """Three published procedures of STTTT (Lâm Đồng), indexed as publishing indexes them."""
    pages = [
        ProcedureFactory(
            agency=agency,
            field=building,
            code=code,
            slug=f"thu-tuc-{n}",
            title=f"Cấp giấy phép xây dựng công trình loại {n}",
        )
        for n, code in enumerate(CODES)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for page in pages:
            page.save_revision().publish()
    return pages


@pytest.fixture
def index_calls(monkeypatch):
    """The batches the database backend is asked to index (the real method still runs)."""
    calls: list[list[int]] = []
    original = DatabaseBackend.index

    def recording(self, documents, *args, **kwargs):
        documents = list(documents)
        calls.append(sorted(d["id"] for d in documents))
        return original(self, documents, *args, **kwargs)

    monkeypatch.setattr(DatabaseBackend, "index", recording)
    return calls


def results(text: str, **filters):
    return search(SearchQuery(text, **filters))


def found(text: str, **filters) -> list[str]:
    """The procedures holding every word of `text` (not the fallback of search.backends)."""
    answer = results(text, **filters)
    return [] if answer.searched else sorted(hit.code for hit in answer.hits)


def republish(page, **changes):
    page = page.specific_class.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


def feed(client) -> dict[str, dict]:
    response = client.get("/api/v1/procedures/", {"page_size": 100})
    assert response.status_code == 200
    return {record["code"]: record for record in response.json()["results"]}


# --- agencies ---------------------------------------------------------------------------------


def test_renaming_an_agency_reindexes_its_procedures_with_the_new_name(
    agency, indexed, django_capture_on_commit_callbacks
):
    assert found("so van hoa the thao") == []
    with django_capture_on_commit_callbacks(execute=True):
        republish(agency, title="Sở Văn hóa, Thể thao và Du lịch")

    assert found("so van hoa the thao") == CODES
    hits = results("giay phep xay dung").hits
    assert {hit.agency for hit in hits} == {"Sở Văn hóa, Thể thao và Du lịch"}
    facet = results("giay phep xay dung").facets["agency"]
    assert [(f.value, f.label) for f in facet] == [("STTTT", "Sở Văn hóa, Thể thao và Du lịch")]


def test_renaming_an_agency_indexes_its_procedures_in_one_call(
    agency, indexed, index_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        republish(agency, title="Sở Văn hóa, Thể thao và Du lịch")
    assert index_calls == [sorted(page.pk for page in indexed)]


def test_changing_an_agency_code_reindexes_the_agency_filter(
    agency, indexed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        republish(agency, code="SVHTTDL")
    assert found("giay phep xay dung", agency="SVHTTDL") == CODES
    assert found("giay phep xay dung", agency="STTTT") == []


def test_re_slugging_an_agency_gives_its_procedures_new_urls_in_index_and_feed(
    client, agency, indexed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        republish(agency, slug="so-van-hoa")

    urls = {page.code: ProcedurePage.objects.get(pk=page.pk).url for page in indexed}
    assert all("/so-van-hoa/" in url for url in urls.values())
    assert {hit.code: hit.url for hit in results("giay phep xay dung").hits} == urls
    records = feed(client)
    assert all(records[code]["url"].endswith(url) for code, url in urls.items())


def test_re_slugging_a_draft_agency_without_publishing_reindexes_its_urls(
    agency, indexed, index_calls, django_capture_on_commit_callbacks
):
    """A plain save (a script, the shell) changes url paths too: page_slug_changed follows it."""
    with django_capture_on_commit_callbacks(execute=True):
        page = AgencyPage.objects.get(pk=agency.pk)
        page.slug = "so-van-hoa"
        page.save()
    assert all("/so-van-hoa/" in hit.url for hit in results("giay phep xay dung").hits)
    assert index_calls == [sorted(page.pk for page in indexed)]


def test_renaming_an_agency_shows_the_new_name_in_the_feed(
    client, agency, indexed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        republish(agency, title="Sở Văn hóa, Thể thao và Du lịch")
    assert {r["agency"]["name"] for r in feed(client).values()} == {
        "Sở Văn hóa, Thể thao và Du lịch"
    }


def test_renaming_one_agency_leaves_the_other_agencies_procedures_alone(
    province, agency, indexed, building, index_calls, django_capture_on_commit_callbacks
):
    other = AgencyFactory(province=province, code="SXD", title="Sở Xây dựng", slug="so-xay-dung")
    with django_capture_on_commit_callbacks(execute=True):
        ProcedureFactory(agency=other, field=building, code="2.000001").save_revision().publish()
    index_calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        republish(other, title="Sở Xây dựng tỉnh Lâm Đồng")
    assert index_calls == [[ProcedurePage.objects.get(code="2.000001").pk]]


def test_moving_an_agency_within_the_tree_reindexes_its_procedures_once(
    agency, indexed, index_calls, django_capture_on_commit_callbacks
):
    cao_bang = cao_bang_province()
    with django_capture_on_commit_callbacks(execute=True):
        AgencyPage.objects.get(pk=agency.pk).move(cao_bang, pos="last-child")
    assert found("giay phep xay dung", province="cao-bang") == CODES
    assert all("/cao-bang/" in hit.url for hit in results("giay phep xay dung").hits)
    assert index_calls == [sorted(page.pk for page in indexed)]


# --- provinces --------------------------------------------------------------------------------


def test_re_slugging_a_province_gives_new_urls_in_index_and_feed(
    client, province, indexed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        republish(province, slug="tinh-lam-dong")

    urls = {page.code: ProcedurePage.objects.get(pk=page.pk).url for page in indexed}
    assert all(url.startswith("/tinh-lam-dong/") for url in urls.values())
    assert {hit.code: hit.url for hit in results("giay phep xay dung").hits} == urls
    records = feed(client)
    assert all(records[code]["url"].endswith(url) for code, url in urls.items())


def test_changing_a_province_code_reindexes_the_province_filter(
    province, indexed, index_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        republish(province, code="lamdong")
    assert found("giay phep xay dung", province="lamdong") == CODES
    assert found("giay phep xay dung", province="lam-dong") == []
    assert index_calls == [sorted(page.pk for page in indexed)]


def test_a_province_with_more_procedures_than_a_batch_is_indexed_batch_by_batch(
    monkeypatch, province, indexed, index_calls, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("search.indexing.BATCH", 2)
    with django_capture_on_commit_callbacks(execute=True):
        republish(ProvincePage.objects.get(pk=province.pk), title="Tỉnh Lâm Đồng")
    assert [len(batch) for batch in index_calls] == [2, 1]


# --- fields and subjects ------------------------------------------------------------------------


def test_renaming_a_field_reindexes_its_procedures_facets_and_hits(
    building, indexed, index_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        building.name = "Quy hoạch, xây dựng"
        building.save()

    found_now = results("giay phep xay dung")
    assert {hit.field for hit in found_now.hits} == {"Quy hoạch, xây dựng"}
    assert [(f.value, f.label) for f in found_now.facets["field"]] == [
        ("xay-dung", "Quy hoạch, xây dựng")
    ]
    assert found("quy hoach") == CODES
    assert index_calls == [sorted(page.pk for page in indexed)]


def test_renaming_a_subject_reindexes_the_procedures_it_is_cited_by(
    indexed, django_capture_on_commit_callbacks
):
    subject = SubjectFactory(code="to-chuc", name="Tổ chức")
    cited = ProcedurePage.objects.get(pk=indexed[0].pk)
    cited.subjects.add(subject)
    with django_capture_on_commit_callbacks(execute=True):
        cited.save_revision().publish()
    assert found("doanh nghiep") == []

    with django_capture_on_commit_callbacks(execute=True):
        subject.name = "Doanh nghiệp"
        subject.save()
    assert found("doanh nghiep") == [CODES[0]]


def test_a_new_field_indexes_nothing(index_calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        FieldFactory(code="dat-dai", name="Đất đai")
    assert index_calls == []


# --- real commits -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_slug_change_signalled_at_commit_keeps_what_the_transaction_scheduled(
    site_tree, province, agency, building
):
    """Wagtail sends page_slug_changed once the transaction has committed, before the index's
    own commit callback runs: the procedures the transaction published must still be indexed."""
    other = AgencyFactory(province=province, code="SXD", title="Sở Xây dựng", slug="so-xay-dung")
    moved_on = ProcedureFactory(agency=agency, field=building, code="1.000201", slug="cu")
    published = ProcedureFactory(agency=other, field=building, code="2.000001", live=False)
    with transaction.atomic():
        moved_on.save_revision().publish()
    with transaction.atomic():
        republish(agency, slug="so-van-hoa")
        published.save_revision().publish()

    assert found("thu tuc") == ["1.000201", "2.000001"]
    hit = next(hit for hit in results("thu tuc").hits if hit.code == "1.000201")
    assert hit.url == "/lam-dong/so-van-hoa/cu/"


def test_the_feed_is_modified_when_an_agency_is_renamed(
    client, agency, indexed, django_capture_on_commit_callbacks
):
    """A portal asking "changed since?" must not be told 304 and keep the old agency name."""
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    PageLogEntry.objects.update(timestamp=an_hour_ago)
    ProcedureChange.objects.update(at=an_hour_ago)
    ProcedurePage.objects.update(last_published_at=an_hour_ago)
    last_modified = client.get("/api/v1/procedures/")["Last-Modified"]
    with django_capture_on_commit_callbacks(execute=True):
        republish(agency, title="Sở Văn hóa, Thể thao và Du lịch")
    response = client.get("/api/v1/procedures/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200


def test_publishing_a_draft_saved_before_its_agency_moved_keeps_the_new_province(
    client, agency, indexed, django_capture_on_commit_callbacks
):
    """A revision holds the agency and province keys of its day; the tree decides them."""
    cao_bang = cao_bang_province()
    page = ProcedurePage.objects.get(pk=indexed[0].pk)
    page.title = "Cấp giấy phép xây dựng công trình (sửa đổi)"
    revision = page.save_revision()  # a draft, saved while the agency is in Lâm Đồng
    with django_capture_on_commit_callbacks(execute=True):
        AgencyPage.objects.get(pk=agency.pk).move(cao_bang, pos="last-child")
    with django_capture_on_commit_callbacks(execute=True):
        Revision.objects.get(pk=revision.pk).publish()  # as the admin reads it, after the move

    assert ProcedurePage.objects.get(pk=page.pk).province == cao_bang
    assert found("giay phep xay dung", province="cao-bang") == CODES
    assert feed(client)[CODES[0]]["province"]["code"] == "cao-bang"
