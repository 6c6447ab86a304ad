"""The spreadsheet columns of import and export (CONTRACT.md, Import columns).

Each column has an English key and a Vietnamese header; either is accepted, ignoring case,
surrounding spaces and Unicode form.
"""

import re
from dataclasses import dataclass

from cms.text import normalise


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False


COLUMNS = [
    Column("code", "Mã thủ tục", required=True),
    Column("title", "Tên thủ tục", required=True),
    Column("agency", "Cơ quan thực hiện", required=True),
    Column("field", "Lĩnh vực", required=True),
    Column("tiers", "Cấp thực hiện", required=True),
    Column("level", "Mức độ", required=True),
    Column("submission_url", "Địa chỉ nộp trực tuyến"),
    Column("co_agencies", "Cơ quan phối hợp"),
    Column("processing_time", "Thời hạn giải quyết"),
    Column("fee", "Phí, lệ phí"),
    Column("subjects", "Đối tượng thực hiện"),
    Column("steps", "Trình tự thực hiện"),
    Column("documents", "Thành phần hồ sơ"),
    Column("result", "Kết quả thực hiện"),
    Column("legal_basis", "Căn cứ pháp lý"),
    Column("requirements", "Yêu cầu, điều kiện"),
    Column("decision", "Quyết định công bố"),
    Column("status", "Tình trạng"),
    Column("keywords", "Từ khóa"),
    Column("title_en", "Tên thủ tục (tiếng Anh)"),
    # Extension: lets one spreadsheet carry several provinces (export writes it).
    Column("province", "Mã tỉnh"),
]
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
_HEADER_INDEX = {normalise(c.key): c.key for c in COLUMNS} | {
    normalise(c.header): c.key for c in COLUMNS
}

TIER_WORDS = {
    "tinh": "province",
    "cap tinh": "province",
    "province": "province",
    "huyen": "district",
    "cap huyen": "district",
    "district": "district",
    "xa": "commune",
    "cap xa": "commune",
    "commune": "commune",
}
STATUS_WORDS = {
    "active": "active",
    "dang hieu luc": "active",
    "con hieu luc": "active",
    "abolished": "abolished",
    "da bai bo": "abolished",
    "bai bo": "abolished",
}
FORM_MARK = re.compile(r"\[\s*mẫu\s*:\s*([^\]]+?)\s*\]", re.IGNORECASE)
LIST_SEPARATORS = re.compile(r"[;\n]")


def column_for_header(header: str) -> str | None:
    """The column key a header names, or None for a column this importer does not know."""
    return _HEADER_INDEX.get(normalise(header))


def split_list(value: str) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(value or "") if part.strip()]


def split_lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").split("\n") if line.strip()]
