"""Read an import file into numbered rows of text: .xlsx, .csv (UTF-8, with or without BOM), .json.

Row numbers are the ones the editor sees: in a spreadsheet the header is row 1; in JSON the first
procedure is row 1.
"""

import codecs
import csv
import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from cms.text import normalise_text

from .columns import column_for_header

SUPPORTED = (".xlsx", ".csv", ".json")


class ReadError(Exception):
    """The file as a whole cannot be read (format, encoding, header); nothing is imported."""


@dataclass
class Sheet:
    """The rows of a file, keyed by column key, read lazily so that memory stays flat."""

    rows: Iterator[tuple[int, dict]]
    columns: list[str] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    document: dict = field(default_factory=dict)  # the JSON export's provinces/agencies/fields
    is_json: bool = False


def read_file(path: Path) -> Sheet:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ReadError(
            f"Định dạng tệp {suffix or '(không có)'} không được hỗ trợ; "
            "dùng .xlsx, .csv hoặc .json. (Unsupported file type; use .xlsx, .csv or .json.)"
        )
    if not path.exists():
        raise ReadError(f"Không tìm thấy tệp {path}. (File not found.)")
    if suffix == ".json":
        return _read_json(path)
    table = _xlsx_table(path) if suffix == ".xlsx" else _csv_table(path)
    return _sheet_from_table(table)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return normalise_text(str(value))


def _xlsx_table(path: Path) -> Iterator[list[str]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken or foreign file
        raise ReadError(
            f"Không đọc được tệp Excel: {error}. (Cannot read the .xlsx file.)"
        ) from error
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(v) for v in row]
    finally:
        workbook.close()


def _csv_table(path: Path) -> Iterator[list[str]]:
    """Rows of a UTF-8 CSV, streamed from the file (a 100,000-row file is never held whole)."""
    _check_utf8(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first_line = handle.readline()
        delimiter = max(",;\t", key=first_line.count)
        handle.seek(0)
        if handle.read(1) != "\ufeff":
            handle.seek(0)
        for row in csv.reader(handle, delimiter=delimiter):
            yield [_cell_text(v) for v in row]


def _check_utf8(path: Path, chunk_size: int = 1 << 20) -> None:
    """Refuse a file that is not UTF-8 before any row is read, in one streaming pass."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise ReadError(
                    f"Tệp CSV không phải UTF-8 (byte {offset + error.start}): hãy lưu lại dạng"
                    " “CSV UTF-8”. (The CSV file is not UTF-8: save it as “CSV UTF-8”.)"
                ) from error
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise ReadError(
                "Tệp CSV bị cắt giữa một ký tự UTF-8. (The CSV file ends inside a character.)"
            ) from error


def _sheet_from_table(table: Iterator[list[str]]) -> Sheet:
    header = next(table, None)
    if not header or not any(header):
        raise ReadError("Tệp không có dòng tiêu đề. (The file has no header row.)")
    keys = [column_for_header(h) if h else None for h in header]
    unknown = [h for h, k in zip(header, keys, strict=True) if h and k is None]
    seen = [k for k in keys if k]
    repeated = sorted({k for k in seen if seen.count(k) > 1})
    if repeated:
        raise ReadError(f"Cột bị lặp lại: {', '.join(repeated)}. (Columns appear more than once.)")

    def rows():
        for number, values in enumerate(table, start=2):
            if any(values):
                yield (
                    number,
                    {k: values[i] if i < len(values) else "" for i, k in enumerate(keys) if k},
                )

    return Sheet(rows=rows(), columns=seen, unknown_headers=unknown)


def _read_json(path: Path) -> Sheet:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReadError(f"Tệp JSON không hợp lệ: {error}. (Invalid JSON.)") from error
    procedures = data.get("procedures") if isinstance(data, dict) else data
    if not isinstance(procedures, list) or not all(isinstance(p, dict) for p in procedures):
        raise ReadError(
            'Tệp JSON phải là danh sách thủ tục hoặc có khóa "procedures". '
            '(The JSON must be a list of procedures or have a "procedures" key.)'
        )
    document = data if isinstance(data, dict) else {}
    return Sheet(rows=enumerate(procedures, start=1), document=document, is_json=True)
