"""How import_catalog reads what people type: header aliases, Unicode forms, tier and status
words, agencies and fields by code or name, form marks; HTML in cells; abolished procedures."""

import unicodedata

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from catalog.models import AgencyKind, AgencyPage, Field, ProcedurePage, Status, Tier
from forms_library.models import FormDocument

from ..factories import AgencyFactory, FieldFactory, ProvinceFactory, pdf_bytes
from .helpers import (
    HEADER_OF,
    LD_PORTAL,
    row,
    run,
    summary,
    table,
    write_csv,
    write_json,
    write_rows,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def imported(path, *args) -> str:
    """Import and insist it succeeded; the printed output."""
    result = run("import_catalog", path, *args)
    assert not result.failed, result.err
    return result.out


# --- headers -------------------------------------------------------------------------------

HEADER_STYLES = {
    "english-keys": lambda key: key,
    "english-keys-upper-case": lambda key: key.upper(),
    "vietnamese": lambda key: HEADER_OF[key],
    "vietnamese-upper-case": lambda key: HEADER_OF[key].upper(),
    "vietnamese-lower-case": lambda key: HEADER_OF[key].lower(),
    "surrounding-spaces": lambda key: f"  {HEADER_OF[key]}   ",
    "inner-double-spaces": lambda key: HEADER_OF[key].replace(" ", "  "),
    "nfd": lambda key: nfd(HEADER_OF[key]),
    "nfd-upper-case": lambda key: nfd(HEADER_OF[key].upper()),
}


# Each style in one of the three kinds of sheet, in turn.
HEADER_CASES = [
    pytest.param(
        style, ("csv", "csv-bom", "xlsx")[n % 3], id=f"{name}-{('csv', 'csv-bom', 'xlsx')[n % 3]}"
    )
    for n, (name, style) in enumerate(HEADER_STYLES.items())
]


@pytest.mark.parametrize(("style", "kind"), HEADER_CASES)
def test_header_aliases(tmp_path, agency, field, style, kind):
    values = row(
        level="3",
        submission_url=f"{LD_PORTAL}/bao-chi",
        subjects="Tổ chức",
        status="đang hiệu lực",
        title_en="Press licence",
    )
    rows = table(values, header=[style(key) for key in values])
    if kind == "xlsx":
        path = write_xlsx(tmp_path / "a.xlsx", rows)
    else:
        path = write_csv(tmp_path / "a.csv", rows, bom=kind == "csv-bom")

    out = imported(path)

    assert "CẢNH BÁO" not in out  # every header was recognised
    page = ProcedurePage.objects.get()
    assert (page.code, page.title, page.agency, page.field) == (
        "1.000001",
        "Cấp giấy phép hoạt động báo chí",
        agency,
        field,
    )
    assert (page.level, page.submission_url, page.tiers) == (
        3,
        f"{LD_PORTAL}/bao-chi",
        ["province"],
    )
    assert [s.name for s in page.subjects.all()] == ["Tổ chức"]
    assert page.title_en == "Press licence"


def test_a_bom_is_not_part_of_the_first_header(tmp_path, agency, field):
    path = write_csv(tmp_path / "a.csv", table(row(), header=None), bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfcode,")

    imported(path)

    assert ProcedurePage.objects.get().code == "1.000001"


def test_semicolon_separated_csv(tmp_path, agency, field):
    """Excel in a Vietnamese locale saves CSV with semicolons."""
    text = "\n".join(";".join(values) for values in table(row(tiers="tỉnh, xã")))
    path = tmp_path / "a.csv"
    path.write_text("\ufeff" + text, encoding="utf-8")

    imported(path)

    assert ProcedurePage.objects.get().tiers == ["province", "commune"]


def test_values_in_nfd_are_stored_in_nfc(tmp_path, agency, field):
    values = {
        "code": "LĐ.001",
        "title": "Đăng ký  khai sinh   có yếu tố nước ngoài",
        "agency": "STTTT",
        "field": "Báo chí",
        "tiers": "tỉnh",
        "level": "2",
        "subjects": "Công dân Việt Nam",
        "steps": "Nộp hồ sơ tại bộ phận một cửa.\nNhận kết quả.",
        "keywords": "khai sinh; hộ tịch",
    }
    path = write_csv(tmp_path / "a.csv", table({k: nfd(v) for k, v in values.items()}))

    imported(path)

    page = ProcedurePage.objects.get()
    assert page.code == "LĐ.001"
    assert page.title == "Đăng ký khai sinh có yếu tố nước ngoài"
    assert unicodedata.is_normalized("NFC", page.title)
    assert [s.name for s in page.subjects.all()] == ["Công dân Việt Nam"]
    assert [b.value["description"] for b in page.steps] == [
        "Nộp hồ sơ tại bộ phận một cửa.",
        "Nhận kết quả.",
    ]
    assert page.keyword_list == ["khai sinh", "hộ tịch"]
    # The same text in NFC is the same procedure, unchanged.
    again = write_csv(tmp_path / "b.csv", table(values))
    assert summary(unchanged=1) in imported(again)


TIER_WORDS = {
    "tinh": ["province"],
    "Tỉnh": ["province"],
    "TỈNH": ["province"],
    "province": ["province"],
    "Province": ["province"],
    "cấp tỉnh": ["province"],
    "huyện": ["district"],
    "Cap huyen": ["district"],
    "district": ["district"],
    "xã": ["commune"],
    "cấp xã": ["commune"],
    "commune": ["commune"],
    "tỉnh; xã": ["province", "commune"],
    "tỉnh, huyện": ["province", "district"],
    "province,commune": ["province", "commune"],
    "  tinh ;  cap  xa ": ["province", "commune"],
    "xã; tỉnh; huyện": ["province", "district", "commune"],
    "tỉnh; tinh; province": ["province"],
}


def test_tier_words_with_and_without_accents(tmp_path, agency, field):
    rows = [row(code=f"T{n}", tiers=words) for n, words in enumerate(TIER_WORDS)]
    rows.append(row(code="NFD", tiers=nfd("Tỉnh; cấp xã")))
    path = write_csv(tmp_path / "a.csv", table(*rows))

    imported(path)

    tiers = {p.code: p.tiers for p in ProcedurePage.objects.all()}
    expected = {f"T{n}": value for n, value in enumerate(TIER_WORDS.values())}
    assert tiers == {**expected, "NFD": ["province", "commune"]}


# --- agencies and fields ---------------------------------------------------------------------


AGENCY_NAMES = [
    "STTTT",
    "stttt",
    " STTTT ",
    "Sở Thông tin và Truyền thông",
    "sở thông tin và truyền thông",
    "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    "  Sở  Thông tin   và Truyền thông ",
    nfd("Sở Thông tin và Truyền thông"),
    nfd("SỞ THÔNG TIN VÀ TRUYỀN THÔNG"),
]


def test_an_existing_agency_is_found_by_code_or_name(tmp_path, agency, field):
    agencies = AgencyPage.objects.count()
    rows = [
        row(code=f"A{n}", agency=named, co_agencies=named) for n, named in enumerate(AGENCY_NAMES)
    ]

    out = imported(write_csv(tmp_path / "a.csv", table(*rows)))

    assert ProcedurePage.objects.count() == len(AGENCY_NAMES)
    for page in ProcedurePage.objects.all():
        assert page.agency == agency, page.code
        assert list(page.co_agencies.all()) == [agency], page.code
    assert AgencyPage.objects.count() == agencies
    assert "Cơ quan mới" not in out


def test_an_agency_of_another_province_is_not_used(tmp_path, province, agency, field):
    other = ProvinceFactory(code="cao-bang", title="Cao Bằng")
    AgencyFactory(province=other, code="SYT", title="Sở Y tế")

    out = imported(
        write_csv(tmp_path / "a.csv", table(row(agency="SYT"))), "--province", "lam-dong"
    )

    page = ProcedurePage.objects.get()
    assert page.agency.province == province
    assert "Cơ quan mới / new agency: lam-dong/SYT" in out


@pytest.mark.parametrize(
    ("name", "kind", "tier"),
    [
        ("Sở Xây dựng", AgencyKind.DEPARTMENT, Tier.PROVINCE),
        ("Sở Tài nguyên và Môi trường", AgencyKind.DEPARTMENT, Tier.PROVINCE),
        ("UBND huyện Đức Trọng", AgencyKind.DISTRICT_COMMITTEE, Tier.DISTRICT),
        ("Ủy ban nhân dân thành phố Đà Lạt", AgencyKind.DISTRICT_COMMITTEE, Tier.DISTRICT),
        ("UBND xã Tà Nung", AgencyKind.COMMUNE_COMMITTEE, Tier.COMMUNE),
        ("Ủy ban nhân dân phường 1", AgencyKind.COMMUNE_COMMITTEE, Tier.COMMUNE),
        ("Công an tỉnh", AgencyKind.OTHER, Tier.PROVINCE),
    ],
)
def test_an_unknown_agency_is_created_named_and_given_a_kind(
    tmp_path, agency, field, name, kind, tier
):
    out = imported(write_csv(tmp_path / "a.csv", table(row(agency=name))))

    created = AgencyPage.objects.get(province=agency.province, title=name)
    assert (created.kind, created.tier) == (kind, tier)
    assert created.live
    assert created.get_parent().specific == agency.province
    assert f"Cơ quan mới / new agency: lam-dong/{created.code} {name}" in out
    assert ProcedurePage.objects.get().agency == created


def test_a_new_agency_named_twice_in_the_file_is_created_once(tmp_path, agency, field):
    rows = [
        row(code="1", agency="Sở Xây dựng"),
        row(code="2", agency=nfd("SỞ XÂY  DỰNG")),
        row(code="3", agency="STTTT", co_agencies="sở xây dựng; Sở Nội vụ"),
    ]

    out = imported(write_csv(tmp_path / "a.csv", table(*rows)))

    sxd = AgencyPage.objects.get(title="Sở Xây dựng")
    assert sxd.code == "SXD"
    assert out.count("Cơ quan mới / new agency: lam-dong/SXD Sở Xây dựng") == 1
    assert "Cơ quan mới / new agency: lam-dong/SNV Sở Nội vụ" in out
    assert {p.code: p.agency for p in ProcedurePage.objects.all()} == {
        "1": sxd,
        "2": sxd,
        "3": agency,
    }
    co = {a.title for a in ProcedurePage.objects.get(code="3").co_agencies.all()}
    assert co == {"Sở Xây dựng", "Sở Nội vụ"}


def test_an_unknown_field_is_created_and_listed(tmp_path, agency):
    out = imported(write_csv(tmp_path / "a.csv", table(row(field="Xuất bản, In và Phát hành"))))

    created = Field.objects.get(name="Xuất bản, In và Phát hành")
    assert ProcedurePage.objects.get().field == created
    assert f"Lĩnh vực mới / new field: {created.code} Xuất bản, In và Phát hành" in out


def test_an_existing_field_is_found_by_code_or_name(tmp_path, agency, field):
    FieldFactory(code="xay-dung", name="Xây dựng")
    names = ["bao-chi", "Báo chí", "BÁO CHÍ", " báo  chí ", nfd("Báo chí"), nfd("BÁO CHÍ")]
    rows = [row(code=f"F{n}", field=named) for n, named in enumerate(names)]

    out = imported(write_csv(tmp_path / "a.csv", table(*rows)))

    assert [p.field for p in ProcedurePage.objects.all()] == [field] * len(names)
    assert Field.objects.count() == 2
    assert "Lĩnh vực mới" not in out


# --- forms in the documents ------------------------------------------------------------------


def test_an_unknown_form_code_is_kept_as_text_with_a_warning(tmp_path, agency, field):
    documents = "Đơn đề nghị cấp giấy phép [mẫu: X01]\nBản sao giấy chứng nhận đăng ký"
    path = write_csv(tmp_path / "a.csv", table(row(documents=documents)))

    result = run("import_catalog", path)

    assert not result.failed, result.err
    assert summary(created=1) in result.out
    warnings = result.lines("CẢNH BÁO / WARNING")
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "CẢNH BÁO / WARNING dòng/row 2, cột/column Thành phần hồ sơ / documents: "
    )
    assert "Chưa có biểu mẫu mã “X01” trong thư viện" in warnings[0]
    assert "(The forms library has no form “X01” yet" in warnings[0]
    page = ProcedurePage.objects.get()
    items = [
        (item["name"], item["form_code"], item["form"])
        for case in page.documents
        for item in case.value["documents"]
    ]
    assert items == [
        ("Đơn đề nghị cấp giấy phép", "X01", None),
        ("Bản sao giấy chứng nhận đăng ký", "", None),
    ]
    assert page.missing_forms() == ["X01"]


def test_a_known_form_code_links_the_library_form(tmp_path, agency, field):
    form = FormDocument.objects.create(
        title="Tờ khai CT01", code="CT01", file=ContentFile(pdf_bytes(("CT01",)), name="ct01.pdf")
    )
    documents = "Tờ khai [Mẫu:  ct01 ]\nBản sao"
    path = write_csv(tmp_path / "a.csv", table(row(documents=documents)))

    result = run("import_catalog", path)

    assert not result.failed and "CẢNH BÁO" not in result.out
    item = ProcedurePage.objects.get().documents[0].value["documents"][0]
    assert (item["name"], item["form"], item["form_code"]) == ("Tờ khai", form, "ct01")


# --- HTML in cells ---------------------------------------------------------------------------

SCRIPT_TITLE = "<script>alert(1)</script> Cấp phép"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_html_in_a_cell_is_stored_as_text_and_escaped_on_the_page(
    client, tmp_path, agency, field, suffix
):
    values = row(
        title=SCRIPT_TITLE,
        steps='<img src=x onerror="alert(2)">Nộp hồ sơ',
        result="<b>Giấy phép</b>",
        keywords="<script>alert(3)</script>",
    )

    imported(write_rows(tmp_path / f"a{suffix}", values))

    page = ProcedurePage.objects.get()
    assert page.title == SCRIPT_TITLE
    assert page.result == "<b>Giấy phép</b>"
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Cấp phép" in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>Giấy phép</b>" not in html and "&lt;b&gt;Giấy phép&lt;/b&gt;" in html


def test_script_in_json_rich_text_is_removed(client, tmp_path, agency, field):
    record = {
        "code": "1.000001",
        "title": "Cấp phép",
        "agency": "STTTT",
        "field": "Báo chí",
        "tiers": ["province"],
        "level": 1,
        "description": '<p onclick="alert(4)">Mô tả<script>alert(5)</script></p>',
    }
    imported(write_json(tmp_path / "a.json", [record]))

    page = ProcedurePage.objects.get()
    assert "script" not in page.description and "onclick" not in page.description
    html = client.get(page.url).content.decode()
    assert "Mô tả" in html
    assert "<p>Mô tả" in html
    assert "<script>alert(5)" not in html and "onclick" not in html


def test_script_in_the_english_rich_text_of_a_json_row_is_removed(client, tmp_path, agency, field):
    record = {
        "code": "1.000001",
        "title": "Cấp phép",
        "agency": "STTTT",
        "field": "Báo chí",
        "tiers": ["province"],
        "level": 1,
        "description": "<p>Mô tả</p>",
        "translations": {"en": {"description": "<p>About<script>alert(6)</script></p>"}},
    }
    imported(write_json(tmp_path / "a.json", [record]))

    page = ProcedurePage.objects.get()
    html = client.get(f"/en{page.url}").content.decode()
    assert "About" in html
    assert "<script>alert(6)" not in html


# --- status ------------------------------------------------------------------------------------


def test_abolished_procedures_are_kept_marked_and_left_out_of_the_default_list(
    client, tmp_path, agency, field
):
    rows = [
        row(code="BB.1", status="đã bãi bỏ"),
        row(code="BB.2", status="abolished"),
        row(code="BB.3", status=nfd("Đã bãi bỏ")),
        row(code="HL.1", status="đang hiệu lực"),
        row(code="HL.2", status="active"),
        row(code="HL.3", status=""),
    ]
    imported(write_csv(tmp_path / "a.csv", table(*rows)))

    pages = {p.code: p for p in ProcedurePage.objects.all()}
    assert len(pages) == 6 and all(p.live for p in pages.values())
    for code in ("BB.1", "BB.2", "BB.3"):
        assert pages[code].status == Status.ABOLISHED
        assert pages[code].abolished_on == timezone.localdate()
    for code in ("HL.1", "HL.2", "HL.3"):
        assert (pages[code].status, pages[code].abolished_on) == (Status.ACTIVE, None)

    def listed(query: str = "") -> set[str]:
        response = client.get(f"/api/v1/procedures/{query}")
        assert response.status_code == 200
        return {r["code"] for r in response.json()["results"]}

    assert listed() == {"HL.1", "HL.2", "HL.3"}
    assert listed("?status=abolished") == {"BB.1", "BB.2", "BB.3"}
    assert len(listed("?status=all")) == 6


def test_abolishing_an_imported_procedure_keeps_it(tmp_path, agency, field):
    imported(write_csv(tmp_path / "a.csv", table(row(code="1"), row(code="2"))))

    out = imported(write_csv(tmp_path / "b.csv", table(row(code="1", status="đã bãi bỏ"))))

    assert summary(updated=1) in out
    page = ProcedurePage.objects.get(code="1")
    assert page.live and page.status == Status.ABOLISHED
    assert page.abolished_on == timezone.localdate()
    # Active again when a later file says so.
    imported(write_csv(tmp_path / "c.csv", table(row(code="1", status="active"))))
    page.refresh_from_db()
    assert (page.status, page.abolished_on) == (Status.ACTIVE, None)


def test_import_never_deletes(tmp_path, agency, field):
    imported(write_csv(tmp_path / "a.csv", table(row(code="1"), row(code="2"), row(code="3"))))

    out = imported(write_csv(tmp_path / "b.csv", table(row(code="2"))))

    assert summary(unchanged=1) in out
    assert set(ProcedurePage.objects.live().values_list("code", flat=True)) == {"1", "2", "3"}
    assert not ProcedurePage.objects.filter(status=Status.ABOLISHED).exists()
