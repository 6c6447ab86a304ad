"""The search index follows publishing: publish, edit, abolish, unpublish, delete and move a
procedure, and what search.backends.search finds follows once the transaction commits; a rolled
back transaction indexes nothing; rebuild_search_index and import_catalog index in bulk."""

import csv
import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from catalog.models import ProcedurePage, Status
from search import indexing
from search.backends import search
from search.backends.base import SearchQuery
from search.models import SearchEntry

from ..factories import AgencyFactory, ProcedureFactory, cao_bang_province

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search")]


def draft(agency, field, **values) -> ProcedurePage:
    """A procedure saved as a draft: in the tree, never published, so never indexed."""
    values.setdefault("code", "1.000894")
    values.setdefault("title", "Cấp giấy phép xây dựng nhà ở riêng lẻ")
    values.setdefault("slug", f"thu-tuc-{values['code'].replace('.', '-')}")
    return ProcedureFactory(
        agency=agency,
        field=field,
        live=False,
        first_published_at=None,
        last_published_at=None,
        **values,
    )


def publish(page: ProcedurePage) -> ProcedurePage:
    page.save_revision().publish()
    return ProcedurePage.objects.get(pk=page.pk)


def found(text: str, **filters) -> list[str]:
    """The procedures holding every word of `text` (not the fallback of search.backends)."""
    results = search(SearchQuery(text, **filters))
    return [] if results.searched else [hit.code for hit in results.hits]


def hit_for(text: str, code: str, **filters):
    return next(hit for hit in search(SearchQuery(text, **filters)).hits if hit.code == code)


# --- publishing ---------------------------------------------------------------------------------


def test_a_draft_is_not_findable(agency, building, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft(agency, building)
    assert found("giay phep xay dung") == []


def test_publishing_makes_a_new_procedure_findable(
    agency, building, django_capture_on_commit_callbacks
):
    page = draft(agency, building)
    with django_capture_on_commit_callbacks(execute=True):
        publish(page)
    assert found("giay phep xay dung") == ["1.000894"]
    assert found("cấp giấy phép xây dựng") == ["1.000894"]
    hit = hit_for("giay phep xay dung", "1.000894")
    assert hit.province == "lam-dong"
    assert hit.agency == "Sở Thông tin và Truyền thông"
    assert hit.url == page.get_url()


def test_nothing_is_indexed_before_the_transaction_commits(
    agency, building, django_capture_on_commit_callbacks
):
    page = draft(agency, building)
    with django_capture_on_commit_callbacks(execute=True):
        publish(page)
        assert found("giay phep xay dung") == []
    assert found("giay phep xay dung") == ["1.000894"]


def test_unpublishing_removes_it(agency, building, django_capture_on_commit_callbacks):
    page = draft(agency, building)
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(page)
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert found("giay phep xay dung") == []
    assert not SearchEntry.objects.filter(procedure_id=page.pk).exists()


def test_republishing_after_unpublishing_brings_it_back(
    agency, building, django_capture_on_commit_callbacks
):
    page = draft(agency, building)
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(page)
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        publish(ProcedurePage.objects.get(pk=page.pk))
    assert found("giay phep xay dung") == ["1.000894"]


def test_editing_the_title_and_publishing_changes_what_is_found(
    agency, building, django_capture_on_commit_callbacks
):
    page = draft(agency, building)
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(page)
    page.title = "Cấp giấy phép sửa chữa, cải tạo công trình"
    with django_capture_on_commit_callbacks(execute=True):
        publish(page)
    assert found("sua chua cai tao") == ["1.000894"]
    assert found("nha o rieng le") == []
    assert hit_for("sua chua", "1.000894").title == "Cấp giấy phép sửa chữa, cải tạo công trình"


def test_a_saved_draft_of_a_live_page_does_not_change_the_index(
    agency, building, django_capture_on_commit_callbacks
):
    page = draft(agency, building)
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(page)
    page.title = "Cấp giấy phép sửa chữa, cải tạo công trình"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision()  # a draft: the public record is unchanged
    assert found("nha o rieng le") == ["1.000894"]
    assert found("sua chua cai tao") == []


def test_abolishing_hides_it_from_the_default_search_only(
    agency, building, django_capture_on_commit_callbacks
):
    page = draft(agency, building)
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(page)
    page.status = Status.ABOLISHED
    page.abolished_on = datetime.date(2024, 7, 1)
    with django_capture_on_commit_callbacks(execute=True):
        publish(page)
    assert found("giay phep xay dung") == []
    assert found("giay phep xay dung", status="all") == ["1.000894"]
    assert found("giay phep xay dung", status="abolished") == ["1.000894"]
    assert hit_for("giay phep xay dung", "1.000894", status="all").status == "abolished"


def test_deleting_removes_it(agency, building, django_capture_on_commit_callbacks):
    page = draft(agency, building)
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(page)
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert found("giay phep xay dung") == []
    assert found("giay phep xay dung", status="all") == []
    assert SearchEntry.objects.count() == 0


@pytest.fixture
def moved_procedure(province, agency, building, django_capture_on_commit_callbacks):
    """A published, indexed procedure of STTTT, then moved under the Sở Xây dựng."""
    construction = AgencyFactory(
        province=province, code="SXD", title="Sở Xây dựng", slug="so-xay-dung"
    )
    page = draft(agency, building)
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(page)
    assert hit_for("giay phep xay dung", "1.000894").agency == "Sở Thông tin và Truyền thông"
    with django_capture_on_commit_callbacks(execute=True):
        page.move(construction, pos="last-child")
    return ProcedurePage.objects.get(pk=page.pk)


def test_moving_to_another_agency_reindexes_with_the_new_url(moved_procedure):
    hit = hit_for("giay phep xay dung", "1.000894")
    assert hit.url == moved_procedure.get_url()
    assert "/so-xay-dung/" in hit.url


def test_moving_to_another_agency_reindexes_with_the_new_agency(moved_procedure):
    hit = hit_for("giay phep xay dung", "1.000894")
    assert hit.agency == "Sở Xây dựng"
    assert found("giay phep xay dung", agency="SXD") == ["1.000894"]
    assert found("giay phep xay dung", agency="STTTT") == []


def test_moving_an_agency_to_another_province_reindexes_its_procedures(
    agency, building, django_capture_on_commit_callbacks
):
    cao_bang = cao_bang_province()
    page = draft(agency, building)
    with django_capture_on_commit_callbacks(execute=True):
        publish(page)
    assert found("giay phep xay dung", province="lam-dong") == ["1.000894"]

    with django_capture_on_commit_callbacks(execute=True):
        agency.move(cao_bang, pos="last-child")

    assert found("giay phep xay dung", province="lam-dong") == []
    assert found("giay phep xay dung", province="cao-bang") == ["1.000894"]
    hit = hit_for("giay phep xay dung", "1.000894")
    assert hit.url == ProcedurePage.objects.get(pk=page.pk).get_url()
    assert "/cao-bang/" in hit.url


def test_a_rolled_back_transaction_indexes_nothing(
    agency, building, django_capture_on_commit_callbacks
):
    page = draft(agency, building)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        publish(page)
        transaction.set_rollback(True)
    assert callbacks == []
    assert found("giay phep xay dung") == []
    assert SearchEntry.objects.count() == 0

    # The next publication after the rollback is indexed as usual.
    other = draft(agency, building, code="1.000895", title="Đăng ký khai sinh")
    with django_capture_on_commit_callbacks(execute=True):
        publish(other)
    assert found("dang ky khai sinh") == ["1.000895"]
    assert found("giay phep xay dung") == []


def test_many_publications_in_one_transaction_are_indexed_once_at_commit(
    agency, building, django_capture_on_commit_callbacks
):
    pages = [
        draft(agency, building, code=f"1.00010{n}", title=f"Cấp phép quảng cáo loại {n}")
        for n in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for page in pages:
            publish(page)
    assert [cb for cb in callbacks if cb is indexing.flush] == [indexing.flush]
    assert sorted(found("cap phep quang cao")) == ["1.000100", "1.000101", "1.000102"]


# --- rebuild_search_index -------------------------------------------------------------------------


def test_rebuild_indexes_every_published_procedure_and_prints_the_count(agency, building):
    ProcedureFactory(agency=agency, field=building, code="1.000001", title="Cấp giấy phép xây dựng")
    ProcedureFactory(agency=agency, field=building, code="1.000002", title="Đăng ký khai sinh")
    ProcedureFactory(agency=agency, field=building, code="1.000003", title="Đăng ký kết hôn")
    draft(agency, building, code="1.000004", title="Đăng ký khai tử")
    # Published and indexed like any page; an index that lost them is what a rebuild restores.
    indexing.remove_now(list(ProcedurePage.objects.values_list("pk", flat=True)))
    assert found("dang ky") == []

    out = StringIO()
    call_command("rebuild_search_index", stdout=out)

    assert "database: 3 " in out.getvalue()
    assert sorted(found("dang ky")) == ["1.000002", "1.000003"]
    assert found("giay phep xay dung") == ["1.000001"]
    assert found("khai tu") == []


def test_rebuild_drops_procedures_no_longer_published(agency, building):
    kept = ProcedureFactory(agency=agency, field=building, code="1.000001", title="Đăng ký kết hôn")
    gone = ProcedureFactory(
        agency=agency, field=building, code="1.000002", title="Đăng ký khai sinh"
    )
    call_command("rebuild_search_index", stdout=StringIO())
    assert sorted(found("dang ky")) == ["1.000001", "1.000002"]

    # Unpublished behind the index's back (no signal): the entry lingers until a rebuild.
    ProcedurePage.objects.filter(pk=gone.pk).update(live=False)
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)

    assert "database: 1 " in out.getvalue()
    assert found("dang ky") == ["1.000001"]
    assert list(SearchEntry.objects.values_list("procedure_id", flat=True)) == [kept.pk]


# --- import_catalog -------------------------------------------------------------------------------

IMPORTED = [
    ("1.001001", "Cấp giấy phép hoạt động báo chí in"),
    ("1.001002", "Cấp giấy phép xuất bản bản tin"),
    ("1.001003", "Thông báo tổ chức họp báo"),
    ("1.001004", "Cấp giấy phép hoạt động in"),
]


def test_bulk_import_makes_every_row_searchable_in_one_indexing(
    tmp_path, province, agency, django_capture_on_commit_callbacks
):
    path = tmp_path / "danh-muc.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["code", "title", "agency", "field", "tiers", "level", "keywords"])
        for code, title in IMPORTED:
            writer.writerow([code, title, "STTTT", "Báo chí", "tỉnh", "2", "báo chí"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("import_catalog", str(path), province="lam-dong", stdout=StringIO())

    assert [cb for cb in callbacks if cb is indexing.flush] == [indexing.flush]
    assert SearchEntry.objects.count() == len(IMPORTED)
    for code, title in IMPORTED:
        assert code in found(title, province="lam-dong"), title
    assert found("hop bao") == ["1.001003"]
    hit = hit_for("hop bao", "1.001003")
    assert (hit.province, hit.agency) == ("lam-dong", "Sở Thông tin và Truyền thông")
