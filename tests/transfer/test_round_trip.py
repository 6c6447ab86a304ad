"""export_catalog: JSON that round-trips byte for byte through import_catalog, and CSV/XLSX in the
import columns (Vietnamese headers, a BOM for Excel) that re-import as unchanged."""

import csv
import datetime
import json

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook
from wagtail.models import PageLogEntry

from catalog.models import (
    AgencyKind,
    AgencyPage,
    Field,
    LifeEvent,
    ProcedurePage,
    ProvincePage,
    RoadmapTarget,
    Status,
    Subject,
    Tier,
)
from catalog.transfer.procedures import short_title
from forms_library.models import FormDocument

from ..factories import (
    AgencyFactory,
    FieldFactory,
    LifeEventFactory,
    ProcedureFactory,
    ProvinceFactory,
    SubjectFactory,
    pdf_bytes,
)
from .helpers import VIETNAMESE_HEADERS, run, summary

pytestmark = pytest.mark.django_db

LONG_TITLE = (
    "Thủ tục cấp giấy phép hoạt động cho cơ sở dịch vụ thuộc lĩnh vực thông tin và truyền "
    "thông trên địa bàn tỉnh, bao gồm các trường hợp cấp mới, cấp lại do bị mất, bị hư hỏng, "
    "cấp đổi do thay đổi thông tin của tổ chức, cá nhân, và gia hạn giấy phép khi hết thời hạn "
    "hiệu lực theo quy định của pháp luật hiện hành về thông tin và truyền thông"
)


def step(title: str, description: str):
    return ("step", {"title": title, "description": description})


def legal(number, summary_, date=None, issuer="", url=""):
    values = {"number": number, "summary": summary_, "date": date, "issuer": issuer, "url": url}
    return ("legal_document", values)


@pytest.fixture(scope="module")
def catalogue(module_transaction) -> None:
    """Two provinces; agencies with English names; one procedure of every shape. Built once for
    the module; each test runs in its own savepoint, so a test's wipe or import is undone."""
    lam_dong = ProvinceFactory(
        code="lam-dong",
        title="Lâm Đồng",
        title_en="Lam Dong",
        allowed_submission_domains="dichvucong.lamdong.gov.vn",
    )
    cao_bang = ProvinceFactory(
        code="cao-bang",
        title="Cao Bằng",
        title_en="Cao Bang",
        tier_system="two",
        allowed_submission_domains="dichvucong.caobang.gov.vn\ncaobang.gov.vn",
    )
    stttt = AgencyFactory(
        province=lam_dong,
        code="STTTT",
        title="Sở Thông tin và Truyền thông",
        title_en="Department of Information and Communications",
    )
    sxd = AgencyFactory(
        province=lam_dong, code="SXD", title="Sở Xây dựng", title_en="Department of Construction"
    )
    district = AgencyFactory(
        province=lam_dong,
        code="UBND-DT",
        title="UBND huyện Đức Trọng",
        kind=AgencyKind.DISTRICT_COMMITTEE,
        tier=Tier.DISTRICT,
    )
    cb_syt = AgencyFactory(
        province=cao_bang, code="SYT", title="Sở Y tế", title_en="Department of Health"
    )
    building = FieldFactory(code="xay-dung", name="Xây dựng", name_en="Construction")
    press = FieldFactory(code="bao-chi", name="Báo chí", name_en="Press")
    health = FieldFactory(code="y-te", name="Y tế")
    citizen = SubjectFactory(code="cong-dan", name="Công dân Việt Nam")
    company = SubjectFactory(code="doanh-nghiep", name="Doanh nghiệp")
    home = LifeEventFactory(code="xay-nha", name="Xây nhà")
    form = FormDocument.objects.create(
        title="Đơn đề nghị cấp GPXD", code="GPXD-01", file=ContentFile(pdf_bytes(), name="d.pdf")
    )

    long_one = ProcedureFactory(
        agency=stttt,
        code="1.000002",
        title=short_title(LONG_TITLE)[0],
        full_title=LONG_TITLE,
        field=press,
        level=2,
        steps=[step("", "Nộp hồ sơ.")],
    )
    permit = ProcedureFactory(
        agency=sxd,
        code="1.000894",
        title="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        title_en="Building permit for a detached house",
        field=building,
        tier_province=True,
        tier_district=True,
        level=4,
        submission_url="https://dichvucong.lamdong.gov.vn/dvc/gpxd",
        start_button_text="Nộp hồ sơ xin phép",
        continues_on="Cổng Dịch vụ công tỉnh Lâm Đồng",
        online_payment=True,
        processing_time="15 ngày làm việc",
        processing_time_en="15 working days",
        fee="75.000 đồng/giấy phép",
        result="Giấy phép xây dựng",
        result_en="A building permit",
        requirements="Có quyền sử dụng đất hợp pháp",
        decision="1039/QĐ-UBND",
        procedure_type="Thủ tục hành chính cấp tỉnh",
        competent_agency="UBND tỉnh Lâm Đồng",
        receiving_address="Trung tâm Phục vụ hành chính công, 36 Trần Phú, Đà Lạt",
        keywords="GPXD; giấy phép xây dựng; xin phép xây nhà",
        description="<p>Áp dụng cho <b>nhà ở riêng lẻ</b>.</p>",
        steps=[
            step("Chuẩn bị hồ sơ", "Chủ đầu tư chuẩn bị hồ sơ.\nHồ sơ gồm bản vẽ."),
            step("Nộp hồ sơ", "Nộp trực tuyến hoặc tại bộ phận một cửa."),
        ],
        channels=[
            (
                "channel",
                {
                    "channel": "online",
                    "processing_time": "15 ngày",
                    "fee": "75.000 đồng",
                    "description": "Qua Cổng Dịch vụ công",
                },
            ),
            (
                "channel",
                {"channel": "post", "processing_time": "", "fee": "", "description": ""},
            ),
        ],
        documents=[
            (
                "case",
                {
                    "case": "Trường hợp xây mới",
                    "documents": [
                        {
                            "name": "Đơn đề nghị cấp giấy phép",
                            "originals": 1,
                            "copies": 0,
                            "form": form,
                            "form_code": "GPXD-01",
                        },
                        {
                            "name": "Bản vẽ thiết kế",
                            "originals": 2,
                            "copies": None,
                            "form": None,
                            "form_code": "BV-99",
                        },
                    ],
                },
            ),
            (
                "case",
                {
                    "case": "Trường hợp sửa chữa",
                    "documents": [
                        {
                            "name": "Ảnh chụp hiện trạng",
                            "originals": None,
                            "copies": 1,
                            "form": None,
                            "form_code": "",
                        }
                    ],
                },
            ),
        ],
        legal_basis=[
            legal(
                "50/2014/QH13",
                "Luật Xây dựng",
                datetime.date(2014, 6, 18),
                "Quốc hội",
                "https://vanban.chinhphu.vn/50-2014-qh13",
            ),
            legal("15/2021/NĐ-CP", "Quản lý dự án đầu tư xây dựng"),
        ],
    )
    permit.co_agencies.set([stttt, district])
    permit.subjects.set([citizen, company])
    permit.life_events.set([home])
    permit.related_procedures.set([long_one])
    permit.save()
    RoadmapTarget.objects.create(procedure=permit, target_level=4, due_year=2025)
    RoadmapTarget.objects.create(
        procedure=long_one,
        target_level=3,
        due_year=2026,
        due_date=datetime.date(2026, 6, 30),
        source_decision="818/QĐ-UBND ngày 04/5/2013",
    )
    ProcedureFactory(
        agency=stttt,
        code="1.000100",
        title="Cấp giấy phép xuất bản bản tin (cũ)",
        field=press,
        level=1,
        status=Status.ABOLISHED,
        abolished_on=datetime.date(2023, 5, 1),
        abolishing_decision="500/QĐ-UBND",
        successor=long_one,
    )
    ProcedureFactory(
        agency=district,
        code="2.000001",
        title="Cấp giấy phép xây dựng (cấp huyện)",
        field=building,
        tier_province=False,
        tier_district=True,
        level=3,
        submission_url="https://dvc.dichvucong.lamdong.gov.vn/huyen",
    )
    ProcedureFactory(
        agency=cb_syt,
        code="1.000894",  # the same code in another province
        title="Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
        field=health,
        tier_province=True,
        tier_commune=True,
        level=3,
        submission_url="https://caobang.gov.vn/dvc/cchn",
        keywords="CCHN",
    )


def export(fmt: str, path) -> bytes:
    result = run("export_catalog", "--format", fmt, "--output", path)
    assert not result.failed, result.err
    return path.read_bytes()


def wipe_catalogue() -> None:
    """Delete every page of the catalogue, and the taxonomies."""
    for model in (ProcedurePage, AgencyPage, ProvincePage):
        for page in model.objects.all():
            page.delete()
    for model in (Field, Subject, LifeEvent):
        model.objects.all().delete()
    assert not ProcedurePage.objects.exists() and not AgencyPage.objects.exists()


def test_the_json_export_round_trips_byte_for_byte(tmp_path, catalogue):
    first = export("json", tmp_path / "a.json")
    document = json.loads(first)
    assert [p["code"] for p in document["provinces"]] == ["cao-bang", "lam-dong"]
    assert len(document["procedures"]) == 5
    assert LONG_TITLE in first.decode()
    wipe_catalogue()

    result = run("import_catalog", tmp_path / "a.json")

    assert not result.failed, result.err
    assert "Tạo mới / created: 5" in result.out
    second = export("json", tmp_path / "b.json")
    assert second == first


def test_the_imported_json_restores_what_the_pages_show(tmp_path, catalogue):
    export("json", tmp_path / "a.json")
    wipe_catalogue()

    run("import_catalog", tmp_path / "a.json")

    lam_dong = ProvincePage.objects.get(code="lam-dong")
    assert (lam_dong.title, lam_dong.title_en) == ("Lâm Đồng", "Lam Dong")
    cao_bang = ProvincePage.objects.get(code="cao-bang")
    assert cao_bang.tier_system == "two"
    assert cao_bang.allowed_domains == ["dichvucong.caobang.gov.vn", "caobang.gov.vn"]
    sxd = AgencyPage.objects.get(province=lam_dong, code="SXD")
    assert (sxd.title, sxd.title_en, sxd.kind) == (
        "Sở Xây dựng",
        "Department of Construction",
        "department",
    )
    district = AgencyPage.objects.get(province=lam_dong, code="UBND-DT")
    assert (district.kind, district.tier) == ("district_committee", "district")
    assert Field.objects.get(code="xay-dung").name_en == "Construction"

    permit = ProcedurePage.objects.get(province=lam_dong, code="1.000894")
    assert permit.agency == sxd
    assert permit.title_en == "Building permit for a detached house"
    assert permit.result_en == "A building permit"
    assert [b.value["title"] for b in permit.steps] == ["Chuẩn bị hồ sơ", "Nộp hồ sơ"]
    assert [b.value["channel"] for b in permit.channels] == ["online", "post"]
    cases = [(c.value["case"], len(c.value["documents"])) for c in permit.documents]
    assert cases == [("Trường hợp xây mới", 2), ("Trường hợp sửa chữa", 1)]
    first_document = permit.documents[0].value["documents"][0]
    assert first_document["form"] == FormDocument.objects.get(code="GPXD-01")
    assert permit.legal_basis[0].value["date"] == datetime.date(2014, 6, 18)
    assert {a.code for a in permit.co_agencies.all()} == {"STTTT", "UBND-DT"}
    assert {s.name for s in permit.subjects.all()} == {"Công dân Việt Nam", "Doanh nghiệp"}
    assert [e.code for e in permit.life_events.all()] == ["xay-nha"]
    assert [p.code for p in permit.related_procedures.all()] == ["1.000002"]
    assert [(t.target_level, t.due_year) for t in permit.roadmap_targets.all()] == [(4, 2025)]

    long_one = ProcedurePage.objects.get(code="1.000002")
    assert long_one.full_title == LONG_TITLE
    assert len(long_one.title) <= 255 and LONG_TITLE.startswith(long_one.title.rstrip("…"))
    old = ProcedurePage.objects.get(code="1.000100")
    assert (old.status, old.abolished_on, old.successor) == (
        Status.ABOLISHED,
        datetime.date(2023, 5, 1),
        long_one,
    )


def pages_changed_by_import(path) -> set[tuple[str, str]]:
    """Import `path`; the (province, code) of the procedures that got a new revision."""

    def revisions() -> set[tuple]:
        fields = ("province__code", "code", "latest_revision_id")
        return set(ProcedurePage.objects.values_list(*fields))

    before = revisions()
    result = run("import_catalog", path)
    assert not result.failed, result.err
    return {(province, code) for province, code, _revision in revisions() - before}


def test_importing_the_json_export_over_a_plain_procedure_changes_nothing(tmp_path, catalogue):
    export("json", tmp_path / "a.json")

    changed = pages_changed_by_import(tmp_path / "a.json")

    assert ("cao-bang", "1.000894") not in changed
    assert ("lam-dong", "2.000001") not in changed


def test_importing_the_json_export_over_the_catalogue_changes_nothing(tmp_path, catalogue):
    export("json", tmp_path / "a.json")
    log_entries = PageLogEntry.objects.count()

    result = run("import_catalog", tmp_path / "a.json")

    assert not result.failed, result.err
    assert summary(unchanged=5) in result.out
    assert PageLogEntry.objects.count() == log_entries


def test_reimporting_an_abolished_procedure_from_json_changes_nothing(tmp_path, catalogue):
    export("json", tmp_path / "a.json")

    assert ("lam-dong", "1.000100") not in pages_changed_by_import(tmp_path / "a.json")
    assert ("lam-dong", "1.000100") not in pages_changed_by_import(tmp_path / "a.json")


def test_reimporting_a_roadmap_with_a_due_date_from_json_changes_nothing(tmp_path, catalogue):
    export("json", tmp_path / "a.json")

    assert ("lam-dong", "1.000002") not in pages_changed_by_import(tmp_path / "a.json")
    assert ("lam-dong", "1.000002") not in pages_changed_by_import(tmp_path / "a.json")


def test_reimporting_documents_saved_by_wagtail_changes_nothing(tmp_path, catalogue):
    export("json", tmp_path / "a.json")

    assert ("lam-dong", "1.000894") not in pages_changed_by_import(tmp_path / "a.json")


def test_an_editors_short_title_survives_the_json_round_trip(tmp_path, catalogue):
    page = ProcedurePage.objects.get(code="1.000002")
    page.title = "Cấp giấy phép hoạt động dịch vụ thông tin và truyền thông"
    page.save_revision().publish()
    export("json", tmp_path / "a.json")
    wipe_catalogue()

    run("import_catalog", tmp_path / "a.json")

    page = ProcedurePage.objects.get(code="1.000002")
    assert page.full_title == LONG_TITLE
    assert page.title == "Cấp giấy phép hoạt động dịch vụ thông tin và truyền thông"


def test_an_agency_and_a_field_without_procedures_survive_the_round_trip(tmp_path, catalogue):
    AgencyFactory(province=ProvincePage.objects.get(code="lam-dong"), code="SNV", title="Sở Nội vụ")
    FieldFactory(code="to-chuc", name="Tổ chức bộ máy")
    first = export("json", tmp_path / "a.json")
    wipe_catalogue()

    run("import_catalog", tmp_path / "a.json")

    assert export("json", tmp_path / "b.json") == first


def test_english_steps_are_exported_and_round_trip(tmp_path, catalogue):
    permit = ProcedurePage.objects.get(province__code="lam-dong", code="1.000894")
    permit.steps_en = [step("Prepare", "Prepare the file."), step("", "Submit it.")]
    permit.save()
    first = export("json", tmp_path / "a.json")
    record = next(
        r
        for r in json.loads(first)["procedures"]
        if (r["province"]["code"], r["code"]) == ("lam-dong", "1.000894")
    )
    assert [s["value"]["description"] for s in record["translations"]["en"]["steps"]] == [
        "Prepare the file.",
        "Submit it.",
    ]
    wipe_catalogue()

    run("import_catalog", tmp_path / "a.json")

    assert export("json", tmp_path / "b.json") == first


# --- CSV and XLSX --------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(data.decode("utf-8-sig").splitlines()))


def test_the_csv_export_has_a_bom_and_the_vietnamese_headers(tmp_path, catalogue):
    data = export("csv", tmp_path / "a.csv")

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines(keepends=True)))
    assert rows[0] == VIETNAMESE_HEADERS
    assert len(rows) == 6
    records = {(r[-1], r[0]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    permit = records[("lam-dong", "1.000894")]
    assert permit["Cấp thực hiện"] == "tỉnh; huyện"
    assert permit["Tình trạng"] == "đang hiệu lực"
    assert permit["Thành phần hồ sơ"].splitlines()[0] == (
        "Đơn đề nghị cấp giấy phép [mẫu: GPXD-01]"
    )
    assert records[("lam-dong", "1.000100")]["Tình trạng"] == "đã bãi bỏ"
    assert records[("lam-dong", "1.000002")]["Tên thủ tục"] == LONG_TITLE


def test_the_xlsx_export_has_the_vietnamese_headers(tmp_path, catalogue):
    export("xlsx", tmp_path / "a.xlsx")

    sheet = load_workbook(tmp_path / "a.xlsx", read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == VIETNAMESE_HEADERS
    assert len(rows) == 6
    assert sorted(r[0] for r in rows[1:]) == [
        "1.000002",
        "1.000100",
        "1.000894",
        "1.000894",
        "2.000001",
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_the_spreadsheet_export_of_a_rich_catalogue_is_unchanged(
    tmp_path, catalogue, fmt
):
    export(fmt, tmp_path / f"a.{fmt}")
    legal_before = list(
        ProcedurePage.objects.get(province__code="lam-dong", code="1.000894").legal_basis.raw_data
    )

    result = run("import_catalog", tmp_path / f"a.{fmt}")

    assert not result.failed, result.err
    assert summary(unchanged=5) in result.out
    permit = ProcedurePage.objects.get(province__code="lam-dong", code="1.000894")
    assert list(permit.legal_basis.raw_data) == legal_before
