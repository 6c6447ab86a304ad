"""import_catalog's reasons for refusing a row or a file: each names the row (as the spreadsheet
numbers it, header = row 1), the column and the reason in Vietnamese, with English beside it where
a translation exists; nothing is written and the command exits non-zero."""

import re
import unicodedata

import pytest

from catalog.models import ProcedurePage

from .helpers import (
    LD_PORTAL,
    row,
    run,
    table,
    write_csv,
    write_json,
    write_rows,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

MISSING = "Thiếu giá trị bắt buộc"
MISSING_EN = "A required value is missing"
BAD_LEVEL = "Mức độ phải là số nguyên từ 1 đến 4"
BAD_LEVEL_EN = "The level must be a whole number from 1 to 4"
NEEDS_URL = ("Mức độ 3 trở lên phải có địa chỉ nộp trực tuyến", "Level 3 and above must have an")

REJECTIONS = [
    # id, changes to row 3, column key, column header, Vietnamese part, English part
    ("missing-code", {"code": ""}, "code", "Mã thủ tục", MISSING, MISSING_EN),
    ("missing-title", {"title": "  "}, "title", "Tên thủ tục", MISSING, MISSING_EN),
    ("missing-agency", {"agency": ""}, "agency", "Cơ quan thực hiện", MISSING, MISSING_EN),
    ("missing-field", {"field": ""}, "field", "Lĩnh vực", MISSING, MISSING_EN),
    ("missing-tiers", {"tiers": ""}, "tiers", "Cấp thực hiện", MISSING, MISSING_EN),
    ("missing-level", {"level": ""}, "level", "Mức độ", MISSING, MISSING_EN),
    *(
        (
            f"level-{value}",
            {"level": value},
            "level",
            "Mức độ",
            f"{BAD_LEVEL} (nhận được “{value}”)",
            f"{BAD_LEVEL_EN} (got “{value}”)",
        )
        for value in ("abc", "5", "0", "2.5", "-1")
    ),
    ("level-3-without-url", {"level": "3"}, "submission_url", "Địa chỉ nộp trực tuyến", *NEEDS_URL),
    (
        "level-4-without-url",
        {"level": "4", "submission_url": ""},
        "submission_url",
        "Địa chỉ nộp trực tuyến",
        *NEEDS_URL,
    ),
    (
        "http-url",
        {"level": "3", "submission_url": "http://dichvucong.lamdong.gov.vn/gp"},
        "submission_url",
        "Địa chỉ nộp trực tuyến",
        "Địa chỉ nộp trực tuyến phải bắt đầu bằng https://",
        "The online application URL must start with https://",
    ),
    (
        "url-on-another-domain",
        {"level": "4", "submission_url": "https://dichvucong.example.com/gp"},
        "submission_url",
        "Địa chỉ nộp trực tuyến",
        "Tên miền dichvucong.example.com không thuộc các tên miền được phép của tỉnh",
        "The domain dichvucong.example.com is not one of the province's allowed domains",
    ),
    (
        "unknown-tier",
        {"tiers": "quận"},
        "tiers",
        "Cấp thực hiện",
        "Cấp thực hiện không hợp lệ: “quận”",
        "Unknown tier: “quận”",
    ),
    (
        "one-unknown-tier-among-good-ones",
        {"tiers": "tỉnh; phường"},
        "tiers",
        "Cấp thực hiện",
        "Cấp thực hiện không hợp lệ: “phường”",
        "Unknown tier: “phường”",
    ),
    (
        "unknown-status",
        {"status": "tạm dừng"},
        "status",
        "Tình trạng",
        "Tình trạng không hợp lệ: “tạm dừng”",
        "Unknown status: “tạm dừng”",
    ),
    (
        "title-too-long",
        {"title": "Cấp phép " * 223},
        "title",
        "Tên thủ tục",
        "Quá dài (2006 ký tự; tối đa 2000)",
        "Too long (2006 characters; at most 2000)",
    ),
    (
        "code-too-long",
        {"code": "1." + "0" * 49},
        "code",
        "Mã thủ tục",
        "Quá dài (51 ký tự; tối đa 50)",
        "Too long (51 characters; at most 50)",
    ),
    (
        "url-on-a-lookalike-domain",
        {"level": "3", "submission_url": "https://dichvucong.lamdong.gov.vn.example.com/gp"},
        "submission_url",
        "Địa chỉ nộp trực tuyến",
        "Tên miền dichvucong.lamdong.gov.vn.example.com không thuộc",
        "The domain dichvucong.lamdong.gov.vn.example.com is not one of",
    ),
    (
        "code-with-a-space",
        {"code": "1 000002"},
        "code",
        "Mã thủ tục",
        "Mã thủ tục không được chứa khoảng trắng",
        "A procedure code cannot contain spaces",
    ),
]


def error_line(result, row_number: int, key: str, header: str) -> str:
    """The one error line printed for this row and column."""
    where = f"LỖI / ERROR dòng/row {row_number}, cột/column {header} / {key}: "
    lines = [line for line in result.err.splitlines() if line.startswith(where)]
    assert len(lines) == 1, f"expected one line starting {where!r} in:\n{result.err}"
    return lines[0]


@pytest.mark.parametrize(
    ("changes", "key", "header", "vietnamese", "english"),
    [case[1:] for case in REJECTIONS],
    ids=[case[0] for case in REJECTIONS],
)
def test_a_bad_row_is_named_with_its_row_column_and_reason(
    tmp_path, agency, field, changes, key, header, vietnamese, english
):
    good = row(code="1.000001")
    bad = row(**{"code": "1.000002", "title": "Thủ tục có lỗi", **changes})
    path = write_csv(tmp_path / "danh-muc.csv", table(good, bad, row(code="1.000003")))

    result = run("import_catalog", path)

    assert result.failed and result.error.returncode != 0
    line = error_line(result, 3, key, header)
    assert vietnamese in line
    assert f"({english}" in line, "English is printed beside the Vietnamese"
    assert line.index(vietnamese) < line.index(english)
    assert result.error_lines(2) == [] and result.error_lines(4) == []
    assert "1 dòng bị từ chối. (1 rows rejected.)" in str(result.error)
    assert "bị từ chối / rejected: 1" in result.out
    assert not ProcedurePage.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://dichvucong.lamdong.gov.vn/dvc/gp",
        "https://dvc.dichvucong.lamdong.gov.vn/gp",
        "HTTPS://DichVuCong.LamDong.gov.vn/gp",
    ],
)
def test_a_submission_url_on_the_provinces_domain_or_a_subdomain_is_accepted(
    tmp_path, agency, field, url
):
    path = write_csv(tmp_path / "a.csv", table(row(level="4", submission_url=url)))

    result = run("import_catalog", path)

    assert not result.failed, result.err
    assert ProcedurePage.objects.get().submission_url == url


def test_row_numbers_count_blank_lines_and_multi_line_cells_as_the_spreadsheet_does(
    tmp_path, agency, field
):
    text = (
        "code,title,agency,field,tiers,level,steps\r\n"
        '1,Một,STTTT,Báo chí,tỉnh,2,"Bước một.\nBước hai.\nBước ba."\r\n'
        ",,,,,,\r\n"
        "\r\n"
        "5,Năm,STTTT,Báo chí,tỉnh,x,\r\n"
    )
    path = tmp_path / "a.csv"
    path.write_text(text, encoding="utf-8")

    result = run("import_catalog", path)

    assert result.failed
    assert "(nhận được “x”)" in error_line(result, 5, "level", "Mức độ")
    assert len(result.error_lines()) == 1


def test_every_problem_of_a_row_is_listed(tmp_path, agency, field):
    bad = row(code="", title="", level="abc", tiers="quận", status="xyz")
    path = write_csv(tmp_path / "a.csv", table(row(), bad))

    result = run("import_catalog", path)

    assert result.failed
    columns = [re.search(r"cột/column [^/]+/ (\w+):", line)[1] for line in result.error_lines(3)]
    assert columns == ["code", "title", "level", "tiers", "status"]
    assert "bị từ chối / rejected: 1" in result.out  # one row, however many problems it has


def test_a_code_repeated_in_the_file_names_the_row_it_first_appeared_in(tmp_path, agency, field):
    rows = [row(code="1.000001"), row(code="1.000002"), row(code="1.000001", title="Lặp")]
    path = write_csv(tmp_path / "a.csv", table(*rows))

    result = run("import_catalog", path)

    assert result.failed
    line = error_line(result, 4, "code", "Mã thủ tục")
    assert "Mã thủ tục 1.000001 lặp lại; đã có ở dòng 2" in line
    assert "(Procedure code 1.000001 is repeated; it is already on row 2.)" in line
    assert result.error_lines(3) == []
    assert not ProcedurePage.objects.exists()


def test_a_code_repeated_in_an_nfd_form_is_still_a_repeat(tmp_path, agency, field):
    rows = [row(code="LĐ.001"), row(code=unicodedata.normalize("NFD", "LĐ.001"))]
    path = write_csv(tmp_path / "a.csv", table(*rows))

    result = run("import_catalog", path)

    assert "lặp lại; đã có ở dòng 2" in error_line(result, 3, "code", "Mã thủ tục")


def test_row_numbers_in_an_xlsx_file_count_the_header_as_row_1(tmp_path, agency, field):
    rows = [row(code="A1"), row(code="A2"), row(code="A3", level=7)]
    path = write_xlsx(tmp_path / "a.xlsx", table(*rows))

    result = run("import_catalog", path)

    assert result.failed
    assert "(nhận được “7”)" in error_line(result, 4, "level", "Mức độ")


def test_xlsx_numeric_levels_are_read_as_numbers(tmp_path, agency, field):
    rows = [
        ["code", "title", "agency", "field", "tiers", "level", "submission_url"],
        ["A1", "Thủ tục một", "STTTT", "Báo chí", "tỉnh", 2, None],
        ["A2", "Thủ tục hai", "STTTT", "Báo chí", "tỉnh", 4.0, f"{LD_PORTAL}/a2"],
        ["A3", "Thủ tục ba", "STTTT", "Báo chí", "tỉnh", 2.5, None],
    ]
    path = write_xlsx(tmp_path / "a.xlsx", rows)

    result = run("import_catalog", path, "--skip-invalid")

    assert "(nhận được “2.5”)" in error_line(result, 4, "level", "Mức độ")
    assert dict(ProcedurePage.objects.values_list("code", "level")) == {"A1": 2, "A2": 4}


def test_json_rows_are_numbered_from_1(tmp_path, agency, field):
    records = [
        {"code": "J1", "title": "Một", "agency": "STTTT", "field": "Báo chí", "tiers": ["tỉnh"]},
        {"code": "J2", "title": "", "agency": "STTTT", "field": "Báo chí", "tiers": ["tỉnh"]},
    ]
    records[0]["level"] = records[1]["level"] = 1
    path = write_json(tmp_path / "a.json", records)

    result = run("import_catalog", path)

    assert result.failed
    assert MISSING in error_line(result, 2, "title", "Tên thủ tục")
    assert not ProcedurePage.objects.exists()


def test_json_tiers_must_be_a_list(tmp_path, agency, field):
    record = {"code": "J1", "title": "Một", "agency": "STTTT", "field": "Báo chí", "level": 1}
    path = write_json(tmp_path / "a.json", [{**record, "tiers": "tỉnh"}])

    result = run("import_catalog", path)

    assert result.failed
    assert (
        "LỖI / ERROR dòng/row 1, cột/column Cấp thực hiện / tiers: "
        "Phải là một danh sách. (Must be a list.)"
    ) in result.error_lines(1)


def test_a_json_step_without_a_description_is_a_row_error(tmp_path, agency, field):
    record = {"code": "J1", "title": "Một", "agency": "STTTT", "field": "Báo chí", "level": 1}
    record |= {"tiers": ["province"], "steps": [{"title": "Nộp hồ sơ"}]}
    path = write_json(tmp_path / "a.json", [record])

    result = run("import_catalog", path)

    assert result.failed
    assert result.error_lines(1)
    assert not ProcedurePage.objects.exists()


# --- the file as a whole ----------------------------------------------------------------------


def test_a_missing_required_column_refuses_the_file(tmp_path, agency, field):
    good = row()
    del good["level"], good["tiers"]
    path = write_csv(tmp_path / "a.csv", table(good))

    result = run("import_catalog", path)

    assert result.failed and result.error.returncode != 0
    assert "Không nhập được tệp. (The file was not imported.)" in str(result.error)
    lines = result.error_lines(1)
    assert len(lines) == 1
    assert "Tệp thiếu cột bắt buộc" in lines[0]
    assert "(The file lacks required columns: " in lines[0]
    assert "tiers (Cấp thực hiện)" in lines[0] and "level (Mức độ)" in lines[0]
    assert "cột/column" not in lines[0]  # a file-level problem, not one column of one row
    assert not ProcedurePage.objects.exists()


def test_an_unknown_column_is_a_warning_only(tmp_path, agency, field):
    path = write_csv(tmp_path / "a.csv", table(row(**{"Ghi chú": "nội bộ"})))

    result = run("import_catalog", path)

    assert not result.failed, result.err
    assert any("Cột “Ghi chú” không được nhận diện" in line for line in result.lines("CẢNH BÁO"))
    assert ProcedurePage.objects.count() == 1


@pytest.mark.parametrize("name", ["danh-muc.txt", "danh-muc.xls", "danh-muc"])
def test_an_unsupported_file_type_is_refused(tmp_path, agency, field, name):
    path = tmp_path / name
    path.write_text("code,title\n1,x\n", encoding="utf-8")

    result = run("import_catalog", path)

    assert result.failed and result.error.returncode != 0
    assert "không được hỗ trợ" in str(result.error)
    assert "(Unsupported file type; use .xlsx, .csv or .json.)" in str(result.error)
    assert not ProcedurePage.objects.exists()


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: â, ê, ơ… precomposed, tone marks combining."""
    encoded = []
    for char in text:
        marks = unicodedata.normalize("NFD", char)
        letter = unicodedata.normalize("NFC", "".join(m for m in marks if m not in TONE_MARKS))
        encoded.append((letter + "".join(m for m in marks if m in TONE_MARKS)).encode("cp1258"))
    return b"".join(encoded)


@pytest.mark.parametrize("encoding", ["cp1258", "utf-16"])
def test_a_csv_that_is_not_utf8_is_refused(tmp_path, agency, field, encoding):
    text = "\r\n".join(",".join(values) for values in table(row(title="Cấp giấy phép in")))
    path = tmp_path / "a.csv"
    path.write_bytes(cp1258(text) if encoding == "cp1258" else text.encode(encoding))

    result = run("import_catalog", path)

    assert result.failed and result.error.returncode != 0
    assert "Tệp CSV không phải UTF-8" in str(result.error)
    assert "The CSV file is not UTF-8" in str(result.error)
    assert not ProcedurePage.objects.exists()


def test_a_missing_file_is_refused(tmp_path, db):
    result = run("import_catalog", tmp_path / "khong-co.csv")

    assert result.failed
    assert "Không tìm thấy tệp" in str(result.error) and "File not found" in str(result.error)


def test_a_file_with_only_a_header_imports_nothing(tmp_path, agency, field):
    path = write_rows(tmp_path / "a.csv", row())
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")

    result = run("import_catalog", path)

    assert not result.failed
    assert "Tạo mới / created: 0" in result.out


def test_the_importers_own_reasons_are_printed_with_english_beside_them(tmp_path, agency, field):
    rows = [row(code="A"), row(code="A", level="abc", tiers="quận", status="xyz", title="")]
    path = write_csv(tmp_path / "a.csv", table(*rows))

    result = run("import_catalog", path)

    lines = result.error_lines(3)
    assert len(lines) == 5
    for line in lines:
        # "… Vietnamese. (English.)": an English sentence in brackets closes the line.
        assert line.endswith(".)"), line
        assert re.search(r"\. \((A|The|Unknown|Procedure) [a-z]", line), line
