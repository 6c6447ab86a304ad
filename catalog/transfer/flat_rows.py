"""The spreadsheet row parser (.xlsx, .csv): one row of text cells into a RowPlan.

Lists are `;`-separated, steps, documents and legal documents one a line; `[mẫu: CODE]` in a
document line cites a form of the library.
"""

import re

from cms.text import normalise_text

from .columns import FORM_MARK, split_lines, split_list
from .procedures import ProcedureData
from .report import UNKNOWN_FORM
from .rows import (
    Ref,
    RowPlan,
    check_code,
    check_submission_url,
    form_by_code,
    parse_level,
    parse_status,
    parse_tiers,
    required_text,
    row_province,
    tier_flags,
)


def parse_flat_row(number, raw, default_province, report) -> RowPlan | None:
    code = required_text(number, raw, "code", report)
    check_code(number, code, report)
    title = required_text(number, raw, "title", report)
    agency = required_text(number, raw, "agency", report)
    field_name = required_text(number, raw, "field", report)
    level = parse_level(number, raw.get("level"), report)
    tiers = parse_tiers(number, split_list(raw.get("tiers", "").replace(",", ";")), report)
    status = parse_status(number, raw.get("status", ""), report)
    province, province_ref = row_province(raw, default_province)
    url = normalise_text(raw.get("submission_url"))
    if level is not None:
        check_submission_url(number, url, level, province, report)

    values: dict = {"level": level, **tier_flags(tiers)}
    if "submission_url" in raw:
        values["submission_url"] = url
    if status:
        values["status"] = status
    for key in ("processing_time", "fee", "result", "requirements", "decision"):
        if key in raw:
            values[key] = normalise_text(raw[key])
    if "keywords" in raw:
        values["keywords"] = "; ".join(split_list(raw["keywords"]))
    if "title_en" in raw:
        values["title_en"] = normalise_text(raw["title_en"])[:255]
    if "steps" in raw:
        values["steps"] = [_step(line) for line in split_lines(raw["steps"])]
    if "documents" in raw:
        values["documents"] = _documents(number, split_lines(raw["documents"]), report)
    if "legal_basis" in raw:
        values["legal_basis"] = [_legal_document(line) for line in split_lines(raw["legal_basis"])]

    flat_cells = {k: raw[k] for k in ("steps", "documents", "legal_basis") if k in raw}
    return RowPlan(
        row=number,
        flat_cells=flat_cells,
        province=province,
        province_ref=province_ref,
        agency=Ref(name=agency),
        field=Ref(name=field_name),
        data=ProcedureData(code=code, title=title, values=values),
        co_agencies=[Ref(name=n) for n in split_list(raw["co_agencies"])]
        if "co_agencies" in raw
        else None,
        subjects=split_list(raw["subjects"]) if "subjects" in raw else None,
    )


def _step(line: str) -> dict:
    return {"type": "step", "value": {"title": "", "description": line}}


LEGAL_NUMBER = re.compile(r"\b\d+[a-z]?/(?:\d{4}/)?[A-ZĐ][A-ZĐa-z0-9\-]*\d*", re.UNICODE)


def _legal_document(line: str) -> dict:
    number = LEGAL_NUMBER.search(line)
    value = {
        "number": number.group(0) if number else line[:100],
        "summary": line,
        "date": None,
        "issuer": "",
        "url": "",
    }
    return {"type": "legal_document", "value": value}


def _documents(number, lines: list[str], report) -> list[dict]:
    if not lines:
        return []
    items = []
    for line in lines:
        mark = FORM_MARK.search(line)
        form_code = normalise_text(mark.group(1)) if mark else ""
        name = normalise_text(FORM_MARK.sub("", line)) or line
        form = form_by_code(form_code) if form_code else None
        if form_code and form is None:
            report.warn(number, "documents", UNKNOWN_FORM, code=form_code)
        items.append(
            {
                "name": name,
                "originals": None,
                "copies": None,
                "form": form.pk if form else None,
                "form_code": form_code,
            }
        )
    return [{"type": "case", "value": {"case": "", "documents": items}}]
