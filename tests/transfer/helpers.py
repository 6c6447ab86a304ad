"""Small import files written by the tests themselves, and a way to run a management command and
keep what it printed (and the CommandError it raised, if any)."""

import csv
import json
import re
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook
from wagtail.models import Page, PageLogEntry, Revision

from catalog.models import AgencyPage, Field, LifeEvent, ProcedurePage, ProvincePage, Subject

# The contract's Vietnamese headers, in the contract's order (CONTRACT.md, Import columns), and
# the extension column the export adds for the province.
VIETNAMESE_HEADERS = [
    "Mã thủ tục",
    "Tên thủ tục",
    "Cơ quan thực hiện",
    "Lĩnh vực",
    "Cấp thực hiện",
    "Mức độ",
    "Địa chỉ nộp trực tuyến",
    "Cơ quan phối hợp",
    "Thời hạn giải quyết",
    "Phí, lệ phí",
    "Đối tượng thực hiện",
    "Trình tự thực hiện",
    "Thành phần hồ sơ",
    "Kết quả thực hiện",
    "Căn cứ pháp lý",
    "Yêu cầu, điều kiện",
    "Quyết định công bố",
    "Tình trạng",
    "Từ khóa",
    "Tên thủ tục (tiếng Anh)",
    "Mã tỉnh",
]
HEADER_OF = {
    "code": "Mã thủ tục",
    "title": "Tên thủ tục",
    "agency": "Cơ quan thực hiện",
    "field": "Lĩnh vực",
    "tiers": "Cấp thực hiện",
    "level": "Mức độ",
    "submission_url": "Địa chỉ nộp trực tuyến",
    "co_agencies": "Cơ quan phối hợp",
    "subjects": "Đối tượng thực hiện",
    "steps": "Trình tự thực hiện",
    "documents": "Thành phần hồ sơ",
    "legal_basis": "Căn cứ pháp lý",
    "status": "Tình trạng",
    "keywords": "Từ khóa",
    "title_en": "Tên thủ tục (tiếng Anh)",
    "province": "Mã tỉnh",
}
LD_PORTAL = "https://dichvucong.lamdong.gov.vn"


def row(**values) -> dict[str, str]:
    """A valid row for the `province`/`agency` fixtures (Lâm Đồng, STTTT), changed by `values`."""
    base = {
        "code": "1.000001",
        "title": "Cấp giấy phép hoạt động báo chí",
        "agency": "STTTT",
        "field": "Báo chí",
        "tiers": "tỉnh",
        "level": "2",
        "submission_url": "",
    }
    base.update(values)
    return base


def table(*rows: dict, header: list[str] | None = None) -> list[list[str]]:
    """Rows as a spreadsheet: a header row of keys (or `header`), then the values."""
    keys = list(dict.fromkeys(key for r in rows for key in r))
    return [header or keys, *([r.get(key, "") for key in keys] for r in rows)]


def write_csv(path: Path, rows: list[list], *, bom: bool = False, encoding="utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        if bom:
            out.write("\ufeff")
        csv.writer(out).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(list(values))
    workbook.save(path)
    return path


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_rows(path: Path, *rows: dict) -> Path:
    """Rows in the file type the suffix names (.csv, .xlsx or .json: a list of objects)."""
    if path.suffix == ".json":
        return write_json(path, list(rows))
    if path.suffix == ".xlsx":
        return write_xlsx(path, table(*rows))
    return write_csv(path, table(*rows))


@dataclass
class Run:
    out: str
    err: str
    error: CommandError | None

    @property
    def failed(self) -> bool:
        return self.error is not None

    def lines(self, start: str) -> list[str]:
        return [line for line in (self.out + self.err).splitlines() if line.startswith(start)]

    def error_lines(self, row: int | None = None) -> list[str]:
        where = f"LỖI / ERROR dòng/row {row}[,:]" if row is not None else "LỖI / ERROR"
        return [line for line in self.err.splitlines() if re.match(where, line)]


def run(command: str, *args) -> Run:
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *[str(a) for a in args], stdout=out, stderr=err)
    except CommandError as error:
        return Run(out.getvalue(), err.getvalue(), error)
    return Run(out.getvalue(), err.getvalue(), None)


def summary(created=0, updated=0, unchanged=0, rejected=0) -> str:
    return (
        f"Tạo mới / created: {created}, cập nhật / updated: {updated}, "
        f"không đổi / unchanged: {unchanged}, bị từ chối / rejected: {rejected}"
    )


def catalogue_counts() -> dict[str, int]:
    """Everything an import may write, counted."""
    models = [
        Page,
        ProvincePage,
        AgencyPage,
        ProcedurePage,
        Field,
        Subject,
        LifeEvent,
        Revision,
        PageLogEntry,
    ]
    return {model.__name__: model.objects.count() for model in models}
