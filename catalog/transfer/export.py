"""export_catalog: the whole catalogue as JSON (lossless, re-importable), CSV or XLSX.

Every format is a view of the public record (catalog.records.procedure_record); the spreadsheet
formats flatten it to the import columns.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from modeltranslation.translator import translator
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from wagtail.blocks import StreamValue

from ..models import AgencyPage, Field, ProcedurePage, ProvincePage
from ..records import procedure_record, public_procedures
from .columns import COLUMNS

FORMAT_NAME = "thutuc-catalog"
FORMAT_VERSION = 1
# Derived or installation-specific keys: recomputed on import, so left out of the export.
DERIVED_KEYS = ("url", "last_published_at", "level_label", "level_2022_label", "forms")
TIER_NAMES = {"province": "tỉnh", "district": "huyện", "commune": "xã"}
STATUS_NAMES = {"active": "đang hiệu lực", "abolished": "đã bãi bỏ"}
BATCH = 500


def procedures_for_export(province: str | None = None):
    queryset = public_procedures(include_drafts=False).order_by("province__code", "code")
    return queryset.filter(province__code=province) if province else queryset


def iter_records(province: str | None = None) -> Iterator[dict]:
    """Records in code order, read in batches so memory stays flat for any catalogue size."""
    return records_of(procedures_for_export(province))


def records_of(queryset: QuerySet[ProcedurePage]) -> Iterator[dict]:
    """The export records of these procedures in the queryset's order, read in batches."""
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        pages = {p.pk: p for p in queryset.order_by().filter(pk__in=batch)}
        for pk in batch:
            yield export_record(pages[pk])


def export_record(page: ProcedurePage) -> dict:
    record = procedure_record(page, lang="vi")
    for key in DERIVED_KEYS:
        record.pop(key, None)
    for target in record["roadmap"]:
        target.pop("status", None)
    for case in record["documents"]:
        for item in case["documents"]:
            item.pop("form", None)
    record["translations"] = {"en": english_values(page)}
    if page.full_title_vi:  # a long title: keep the short page title the editor chose
        record["page_title"] = page.title_vi
    return record


def english_values(page: ProcedurePage) -> dict:
    """The English values an editor actually entered (no fallback to Vietnamese)."""
    fields = ["title", *translator.get_options_for_model(ProcedurePage).get_field_names()]
    values = {}
    for name in dict.fromkeys(fields):
        value = getattr(page, f"{name}_en", None)
        if isinstance(value, StreamValue):
            value = value.stream_block.get_prep_value(value)
        if value:
            values[name] = value
    return values


# --- JSON -----------------------------------------------------------------------------------


def write_json(out: io.TextIOBase, province: str | None = None) -> int:
    """Write the lossless export; returns the number of procedures."""
    provinces = ProvincePage.objects.order_by("code")
    if province:
        provinces = provinces.filter(code=province)
    agencies = AgencyPage.objects.filter(province__in=provinces).order_by("province__code", "code")
    head = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "provinces": [
            {
                "code": p.code,
                "name": p.title_vi or p.title,
                "name_en": p.title_en or "",
                "tier_system": p.tier_system,
                "allowed_submission_domains": p.allowed_submission_domains,
            }
            for p in provinces
        ],
        "agencies": [
            {
                "province": a.province.code,
                "code": a.code,
                "name": a.title_vi or a.title,
                "name_en": a.title_en or "",
                "kind": a.kind,
                "tier": a.tier,
            }
            for a in agencies.select_related("province")
        ],
        "fields": [
            {"code": f.code, "name": f.name_vi or f.name, "name_en": f.name_en or ""}
            for f in Field.objects.order_by("code")
        ],
    }
    text = json.dumps(head, ensure_ascii=False, indent=1)
    out.write(text[: text.rindex("}")].rstrip() + ',\n "procedures": [')
    count = 0
    for record in iter_records(province):
        out.write(("\n  " if count == 0 else ",\n  ") + json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n ]\n}\n")
    return count


# --- CSV and XLSX: the import columns -------------------------------------------------------


def flat_row(record: dict) -> dict[str, str]:
    """A record as the import columns (one step, document or legal document a line)."""
    documents = []
    for case in record["documents"]:
        for item in case["documents"]:
            mark = f" [mẫu: {item['form_code']}]" if item.get("form_code") else ""
            documents.append(item["name"] + mark)
    return {
        "code": record["code"],
        "title": record["title"],
        "agency": record["agency"]["code"] if record["agency"] else "",
        "field": record["field"]["name"] if record["field"] else "",
        "tiers": "; ".join(TIER_NAMES[t] for t in record["tiers"]),
        "level": str(record["level"]),
        "submission_url": record["submission_url"] or "",
        "co_agencies": "; ".join(a["code"] for a in record["co_agencies"]),
        "processing_time": record["processing_time"],
        "fee": record["fee"],
        "subjects": "; ".join(record["subjects"]),
        "steps": "\n".join(s["description"] for s in record["steps"]),
        "documents": "\n".join(documents),
        "result": record["result"],
        "legal_basis": "\n".join(d["summary"] or d["number"] for d in record["legal_basis"]),
        "requirements": record["requirements"],
        "decision": record["decision"],
        "status": STATUS_NAMES[record["status"]],
        "keywords": "; ".join(record["keywords"]),
        "title_en": record["translations"]["en"].get("title", ""),
        "province": record["province"]["code"],
    }


def write_csv(out: io.TextIOBase, province: str | None = None) -> int:
    return write_rows_csv(out, (flat_row(r) for r in iter_records(province)))


def write_xlsx(path, province: str | None = None) -> int:
    return write_rows_xlsx(path, (flat_row(r) for r in iter_records(province)))


def write_rows_csv(out: io.TextIOBase, rows: Iterable[dict]) -> int:
    lines = csv_lines(rows)
    out.write(next(lines))  # the BOM and the header
    count = 0
    for line in lines:
        out.write(line)
        count += 1
    return count


def csv_lines(rows: Iterable[dict]) -> Iterator[str]:
    """The import columns as CSV, a row at a time (a response streams it): first the header,
    after a BOM so that Excel opens the Vietnamese text as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: list[str]) -> str:
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + line([c.header for c in COLUMNS])
    for row in rows:
        yield line([row[c.key] for c in COLUMNS])


def write_rows_xlsx(path, rows: Iterable[dict]) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Thủ tục")
    for index, column in enumerate(COLUMNS):
        width = 60 if column.key in ("title", "documents", "steps", "legal_basis") else 20
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.append([_bold(c.header, sheet) for c in COLUMNS])
    count = 0
    for row in rows:
        sheet.append([row[c.key] for c in COLUMNS])
        count += 1
    workbook.save(path)
    return count


def _bold(text: str, sheet) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(bold=True)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell
