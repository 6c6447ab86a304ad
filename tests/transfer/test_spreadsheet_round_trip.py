"""A catalogue imported from a spreadsheet, exported as CSV or XLSX and imported again: every
row is unchanged (the flat columns carry everything such a catalogue holds)."""

import pytest

from catalog.transfer.procedures import short_title

from .helpers import row, run, summary, table, write_csv

pytestmark = pytest.mark.django_db

LONG_TITLE = "Cấp giấy phép " + " ".join(f"trường hợp {n}," for n in range(40)) + " theo quy định"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_a_spreadsheet_export_of_a_spreadsheet_import_is_unchanged(
    tmp_path, agency, fmt
):
    rows = [
        row(
            code="1.000001",
            level="3",
            submission_url="https://dichvucong.lamdong.gov.vn/bc",
            co_agencies="Sở Nội vụ; Sở Tài chính",
            subjects="Công dân Việt Nam; Tổ chức",
            steps="Nộp hồ sơ.\nNhận kết quả.",
            documents="Tờ khai [mẫu: TK-01]\nBản sao giấy phép",
            legal_basis="Luật Báo chí số 103/2016/QH13\nNghị định 09/2017/NĐ-CP",
            keywords="GPBC; báo in",
            title_en="Press licence",
        ),
        row(code="1.000002", title="Thủ tục hai", tiers="tỉnh; xã", status="đã bãi bỏ"),
        row(code="1.000003", title=LONG_TITLE, agency="Sở Xây dựng", field="Xây dựng"),
    ]
    assert len(LONG_TITLE) > 255 and short_title(LONG_TITLE)[0] != LONG_TITLE
    first = run("import_catalog", write_csv(tmp_path / "nguon.csv", table(*rows)))
    assert summary(created=3) in first.out
    exported = run("export_catalog", "--format", fmt, "--output", tmp_path / f"xuat.{fmt}")
    assert not exported.failed, exported.err

    result = run("import_catalog", tmp_path / f"xuat.{fmt}")

    assert not result.failed, result.err
    assert summary(unchanged=3) in result.out
