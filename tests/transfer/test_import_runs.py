"""import_catalog as a whole run: atomic by default, --skip-invalid, --dry-run, idempotent
re-runs with one history entry and one revision per real change, and --province."""

import pytest
from wagtail.models import PageLogEntry, Revision

from catalog.models import AgencyPage, Field, ProcedurePage, ProvincePage, Subject

from ..factories import AgencyFactory, ProcedureFactory, ProvinceFactory
from .helpers import (
    catalogue_counts,
    row,
    run,
    summary,
    table,
    write_csv,
    write_rows,
)

pytestmark = pytest.mark.django_db

NOTHING_WRITTEN = "(Nothing was written because some rows are invalid.)"
DRY_RUN = "Chạy thử: không ghi gì. (Dry run: nothing was written.)"


def new_things_row(code: str, **changes) -> dict:
    """A valid row that also brings a new agency, a new field and new subjects."""
    return row(
        code=code,
        agency="Sở Xây dựng",
        field="Xây dựng",
        subjects="Công dân Việt Nam; Tổ chức",
        co_agencies="Sở Nội vụ",
        **changes,
    )


# --- atomicity ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "column", "reason"),
    [
        ({"level": "abc"}, "level", "Mức độ phải là số nguyên"),
        # Found only when the page is validated (the province no longer has districts).
        ({"tiers": "huyện"}, "tiers", "Tỉnh này không còn áp dụng: Cấp huyện"),
    ],
    ids=["checked-on-reading", "checked-on-saving"],
)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_bad_last_row_leaves_the_catalogue_untouched(
    tmp_path, province, agency, suffix, bad, column, reason
):
    province.tier_system = "two"
    province.save_revision().publish()
    before = catalogue_counts()
    rows = [new_things_row("1.000001"), new_things_row("1.000002"), row(code="1.000003", **bad)]
    path = write_rows(tmp_path / f"danh-muc{suffix}", *rows)

    result = run("import_catalog", path)

    assert result.failed and result.error.returncode != 0
    assert [line for line in result.error_lines() if reason in line] == result.error_lines(4)
    assert f" / {column}: " in result.error_lines(4)[0]
    assert catalogue_counts() == before
    assert not AgencyPage.objects.filter(title="Sở Xây dựng").exists()
    assert not Field.objects.filter(name="Xây dựng").exists()
    assert not Subject.objects.exists()
    assert summary(created=2, rejected=1) in result.out
    assert NOTHING_WRITTEN in result.out
    # The summary still says what the file would bring, marked as not written.
    assert "Cơ quan mới / new agency: lam-dong/SXD Sở Xây dựng (chưa ghi / not written)" in (
        result.out
    )
    assert "Lĩnh vực mới / new field: xay-dung Xây dựng (chưa ghi / not written)" in result.out


def test_an_update_followed_by_a_bad_row_is_rolled_back(tmp_path, agency, field):
    page = ProcedureFactory(agency=agency, code="1.000001", title="Tên cũ", field=field)
    path = write_csv(tmp_path / "a.csv", table(row(title="Tên mới"), row(code="2", level="9")))
    before = catalogue_counts()

    result = run("import_catalog", path)

    assert result.failed
    assert summary(updated=1, rejected=1) in result.out
    page.refresh_from_db()
    assert page.title == "Tên cũ"
    assert catalogue_counts() == before


# --- --skip-invalid --------------------------------------------------------------------------


def test_skip_invalid_writes_the_valid_rows_and_lists_the_bad_ones(tmp_path, agency, field):
    rows = [
        row(code="1.000001"),
        row(code="1.000002", level="abc"),
        row(code="1.000003", tiers="quận"),
        row(code="1.000004", title="Thủ tục bốn"),
    ]
    path = write_csv(tmp_path / "a.csv", table(*rows))

    result = run("import_catalog", path, "--skip-invalid")

    assert result.failed and result.error.returncode != 0
    assert "2 dòng bị từ chối. (2 rows rejected.)" in str(result.error)
    assert summary(created=2, rejected=2) in result.out
    assert len(result.error_lines(3)) == 1 and len(result.error_lines(4)) == 1
    assert result.error_lines(2) == [] and result.error_lines(5) == []
    assert set(ProcedurePage.objects.values_list("code", flat=True)) == {"1.000001", "1.000004"}
    assert ProcedurePage.objects.get(code="1.000004").title == "Thủ tục bốn"


def test_skip_invalid_keeps_nothing_of_a_row_rejected_on_saving(tmp_path, province, agency):
    """A row refused when its page is validated is undone to its savepoint: the agency, field
    and subjects it brought are not kept, and the next row may still create them properly."""
    province.tier_system = "two"
    province.save_revision().publish()
    rows = [
        row(code="1.000001", field="Báo chí"),
        new_things_row("1.000002", tiers="huyện"),  # rejected: no districts any more
        row(code="1.000003", field="Báo chí", agency="Sở Nội vụ"),
    ]
    path = write_csv(tmp_path / "a.csv", table(*rows))

    result = run("import_catalog", path, "--skip-invalid")

    assert result.failed
    assert summary(created=2, rejected=1) in result.out
    assert "Tỉnh này không còn áp dụng" in result.error_lines(3)[0]
    assert set(ProcedurePage.objects.values_list("code", flat=True)) == {"1.000001", "1.000003"}
    assert not AgencyPage.objects.filter(title="Sở Xây dựng").exists()
    assert not Field.objects.filter(name="Xây dựng").exists()
    assert not Subject.objects.exists()
    noi_vu = AgencyPage.objects.get(province=province, title="Sở Nội vụ")
    assert ProcedurePage.objects.get(code="1.000003").agency == noi_vu


def test_skip_invalid_does_not_say_nothing_was_written(tmp_path, agency, field):
    path = write_csv(tmp_path / "a.csv", table(row(code="1"), row(code="2", level="abc")))

    result = run("import_catalog", path, "--skip-invalid")

    assert ProcedurePage.objects.filter(code="1").exists()
    assert NOTHING_WRITTEN not in result.out


def test_skip_invalid_does_not_announce_what_a_rejected_row_would_have_created(
    tmp_path, province, agency, field
):
    province.tier_system = "two"
    province.save_revision().publish()
    rows = [row(code="1"), new_things_row("2", tiers="huyện")]
    path = write_csv(tmp_path / "a.csv", table(*rows))

    result = run("import_catalog", path, "--skip-invalid")

    assert summary(created=1, rejected=1) in result.out
    assert not AgencyPage.objects.filter(title="Sở Xây dựng").exists()
    assert "Sở Xây dựng" not in result.out
    assert "Xây dựng" not in result.out.replace("Sở Xây dựng", "")


# --- --dry-run ---------------------------------------------------------------------------------


def test_dry_run_writes_nothing_and_reports_what_it_would_do(tmp_path, agency, field):
    existing = ProcedureFactory(agency=agency, code="1.000001", title="Tên cũ", field=field)
    rows = [row(code="1.000001", title="Tên mới"), new_things_row("1.000002"), row(code="3")]
    path = write_csv(tmp_path / "a.csv", table(*rows))
    before = catalogue_counts()

    result = run("import_catalog", path, "--dry-run")

    assert not result.failed, result.err
    assert result.err == ""
    assert summary(created=2, updated=1) in result.out
    assert DRY_RUN in result.out
    assert "Cơ quan mới / new agency: lam-dong/SXD Sở Xây dựng (chưa ghi / not written)" in (
        result.out
    )
    assert catalogue_counts() == before
    existing.refresh_from_db()
    assert existing.title == "Tên cũ"


def test_dry_run_with_a_bad_row_still_fails(tmp_path, agency, field):
    path = write_csv(tmp_path / "a.csv", table(row(code="1"), row(code="2", level="0")))
    before = catalogue_counts()

    result = run("import_catalog", path, "--dry-run", "--skip-invalid")

    assert result.failed
    assert summary(created=1, rejected=1) in result.out and DRY_RUN in result.out
    assert catalogue_counts() == before


# --- idempotence and history ------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    tmp_path, agency, field, suffix
):
    rows = [
        row(
            code="1.000001",
            level="3",
            submission_url="https://dichvucong.lamdong.gov.vn/gp",
            subjects="Công dân Việt Nam",
            co_agencies="Sở Nội vụ",
            keywords="GPBC; báo in",
            steps="Nộp hồ sơ.\nNhận kết quả.",
            documents="Tờ khai [mẫu: TK01]\nBản sao giấy phép",
            legal_basis="Luật Báo chí số 103/2016/QH13",
            title_en="Press licence",
            status="đang hiệu lực",
        ),
        row(code="1.000002", title="Thủ tục hai", tiers="tỉnh; xã", status="đã bãi bỏ"),
        row(code="1.000003", title="Thủ tục ba", agency="Sở Xây dựng", field="Xây dựng"),
    ]
    if suffix == ".json":  # the JSON form of the same rows: lists where the sheet has text
        rows = [
            {
                "code": r["code"],
                "title": r["title"],
                "agency": r["agency"],
                "field": r["field"],
                "tiers": r["tiers"].split("; "),
                "level": int(r["level"]),
                "submission_url": r["submission_url"],
            }
            for r in rows
        ]
    path = write_rows(tmp_path / f"danh-muc{suffix}", *rows)
    first = run("import_catalog", path)
    assert not first.failed, first.err
    assert summary(created=3) in first.out
    before = catalogue_counts()
    pages = {
        p.code: (p.latest_revision_id, p.last_published_at) for p in ProcedurePage.objects.all()
    }

    second = run("import_catalog", path)

    assert not second.failed, second.err
    assert summary(unchanged=3) in second.out
    assert "Cơ quan mới" not in second.out and "Lĩnh vực mới" not in second.out
    assert catalogue_counts() == before  # no new revision, no new history entry, no page
    again = {
        p.code: (p.latest_revision_id, p.last_published_at) for p in ProcedurePage.objects.all()
    }
    assert again == pages


def test_a_change_makes_one_revision_and_its_history_naming_the_file(tmp_path, agency, field):
    rows = [row(code="1.000001"), row(code="1.000002", title="Thủ tục hai")]
    run("import_catalog", write_csv(tmp_path / "lan-1.csv", table(*rows)))
    page = ProcedurePage.objects.get(code="1.000002")
    history = PageLogEntry.objects.filter(page=page).order_by("pk")
    assert [e.action for e in history] == ["wagtail.create", "catalog.import", "wagtail.publish"]
    created = history.get(action="catalog.import")
    assert created.data == {"source": "lan-1.csv", "created": True}
    revisions = set(Revision.objects.values_list("pk", flat=True))
    entries = set(PageLogEntry.objects.values_list("pk", flat=True))

    rows[1]["title"] = "Thủ tục hai (sửa đổi)"
    result = run("import_catalog", write_csv(tmp_path / "lan-2.csv", table(*rows)))

    assert not result.failed, result.err
    assert summary(updated=1, unchanged=1) in result.out
    new_revisions = Revision.objects.exclude(pk__in=revisions)
    assert [(r.object_id, r.content["title"]) for r in new_revisions] == [
        (str(page.pk), "Thủ tục hai (sửa đổi)")
    ]
    new_entries = PageLogEntry.objects.exclude(pk__in=entries).order_by("pk")
    # As page.save_revision().publish() logs a change of title, after the file's own entry.
    actions = [e.action for e in new_entries]
    assert actions == ["catalog.import", "wagtail.rename", "wagtail.publish"]
    assert {e.page_id for e in new_entries} == {page.pk}
    assert {e.revision_id for e in new_entries} == {new_revisions[0].pk}
    assert new_entries[0].data == {"source": "lan-2.csv", "created": False}
    page.refresh_from_db()
    assert page.title == "Thủ tục hai (sửa đổi)"
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision_id == new_revisions[0].pk


def test_a_procedure_named_under_another_agency_moves_there(tmp_path, agency, field):
    run("import_catalog", write_csv(tmp_path / "a.csv", table(row(code="1.000001"))))
    other = AgencyFactory(province=agency.province, code="SNV", title="Sở Nội vụ")
    moved = write_csv(tmp_path / "b.csv", table(row(agency="SNV")))

    result = run("import_catalog", moved)

    assert summary(updated=1) in result.out
    page = ProcedurePage.objects.get(code="1.000001")
    assert page.get_parent().specific == other


def test_a_moved_procedure_names_its_new_agency_and_is_then_unchanged(tmp_path, agency, field):
    run("import_catalog", write_csv(tmp_path / "a.csv", table(row(code="1.000001"))))
    other = AgencyFactory(province=agency.province, code="SNV", title="Sở Nội vụ")
    moved = write_csv(tmp_path / "b.csv", table(row(agency="SNV")))
    run("import_catalog", moved)

    again = run("import_catalog", moved)

    assert summary(unchanged=1) in again.out
    assert ProcedurePage.objects.get(code="1.000001").agency == other


def test_codes_that_slug_alike_get_pages_of_their_own(tmp_path, agency, field):
    # "X.1" and "X1" are two codes but one slug: Wagtail's editor would refuse the second page,
    # an import cannot ask, so it gives the second a free slug instead of hiding it.
    path = write_csv(tmp_path / "a.csv", table(row(code="X.1"), row(code="X1")))

    result = run("import_catalog", path)

    assert summary(created=2) in result.out
    first, second = ProcedurePage.objects.order_by("path")
    assert second.slug == f"{first.slug}-2"
    assert second.url_path == f"{agency.url_path}{second.slug}/"


def test_a_procedure_moved_beside_one_with_its_slug_gets_a_free_slug(tmp_path, agency, field):
    other = AgencyFactory(province=agency.province, code="SNV", title="Sở Nội vụ")
    run(
        "import_catalog",
        write_csv(tmp_path / "a.csv", table(row(code="X.1"), row(code="X1", agency="SNV"))),
    )
    staying = ProcedurePage.objects.get(code="X.1")

    run("import_catalog", write_csv(tmp_path / "b.csv", table(row(code="X1"))))

    moved = ProcedurePage.objects.get(code="X1")
    assert moved.get_parent().pk == agency.pk and other.get_children().count() == 0
    assert moved.slug == f"{staying.slug}-2"
    assert moved.url_path == f"{agency.url_path}{moved.slug}/"


# --- --province ------------------------------------------------------------------------------


def test_province_option_creates_a_new_province(tmp_path, db):
    path = write_csv(tmp_path / "a.csv", table(row(code="HN.1", agency="Sở Tư pháp")))

    result = run("import_catalog", path, "--province", "ha-noi")

    assert not result.failed, result.err
    province = ProvincePage.objects.get(code="ha-noi")
    assert province.live
    page = ProcedurePage.objects.get(code="HN.1")
    assert page.province == province
    assert page.agency.province == province
    assert summary(created=1) in result.out


def test_province_option_chooses_among_several(tmp_path, province, agency, field):
    cao_bang = ProvinceFactory(code="cao-bang", title="Cao Bằng")
    AgencyFactory(province=cao_bang, code="STTTT", title="Sở Thông tin Cao Bằng")
    path = write_csv(tmp_path / "a.csv", table(row(code="1.000001")))

    result = run("import_catalog", path, "--province", "cao-bang")

    assert not result.failed, result.err
    page = ProcedurePage.objects.get(code="1.000001")
    assert page.province == cao_bang and page.agency.title == "Sở Thông tin Cao Bằng"


def test_a_single_province_needs_no_option(tmp_path, agency, field):
    result = run("import_catalog", write_csv(tmp_path / "a.csv", table(row())))

    assert not result.failed, result.err
    assert ProcedurePage.objects.get().province == agency.province


def test_several_provinces_and_no_province_column_is_refused(tmp_path, province, agency, field):
    ProvinceFactory(code="cao-bang", title="Cao Bằng")
    path = write_csv(tmp_path / "a.csv", table(row()))
    before = catalogue_counts()

    result = run("import_catalog", path)

    assert result.failed and result.error.returncode != 0
    assert "--province" in result.err
    assert "Hệ thống có nhiều tỉnh" in result.err
    assert catalogue_counts() == before


def test_the_several_provinces_message_has_a_clean_english_translation(
    tmp_path, province, agency, field
):
    ProvinceFactory(code="cao-bang", title="Cao Bằng")
    result = run("import_catalog", write_csv(tmp_path / "a.csv", table(row())))

    assert "choose one with --province CODE" in result.err
    assert "?province=" not in result.err


def test_a_province_column_sends_each_row_to_its_province(tmp_path, province, agency, field):
    cao_bang = ProvinceFactory(code="cao-bang", title="Cao Bằng")
    rows = [
        row(code="1.000001", province="lam-dong"),
        row(code="1.000001", province="cao-bang", agency="Sở Y tế"),
        row(code="1.000002", province="ha-giang", agency="Sở Y tế"),
    ]
    path = write_csv(tmp_path / "a.csv", table(*rows))

    result = run("import_catalog", path)

    assert not result.failed, result.err
    assert summary(created=3) in result.out
    by_province = dict(ProcedurePage.objects.values_list("province__code", "agency__title"))
    assert by_province == {"lam-dong": agency.title, "cao-bang": "Sở Y tế", "ha-giang": "Sở Y tế"}
    assert ProcedurePage.objects.get(province=cao_bang).code == "1.000001"
    assert ProvincePage.objects.filter(code="ha-giang", live=True).exists()


def test_every_page_of_a_51_row_import_is_published_through_a_revision(tmp_path, db):
    """The province, agencies and procedures an import creates each have their live revision as
    their latest and a publish entry naming it; importing the file again writes no revision."""
    synthetic = tmp_path / "tong-hop.csv"
    assert not run("generate_catalog", "--procedures", "51", "--output", str(synthetic)).failed
    result = run("import_catalog", synthetic)
    assert not result.failed, result.err
    assert summary(created=51) in result.out
    pages = [*ProvincePage.objects.all(), *AgencyPage.objects.all(), *ProcedurePage.objects.all()]
    assert len(pages) > 51
    publications = set(
        PageLogEntry.objects.filter(action="wagtail.publish").values_list("page_id", "revision_id")
    )
    for page in pages:
        assert page.live and page.live_revision_id == page.latest_revision_id, page
        assert (page.pk, page.live_revision_id) in publications, page
    revisions = Revision.objects.count()

    assert summary(unchanged=51) in run("import_catalog", synthetic).out
    assert Revision.objects.count() == revisions
