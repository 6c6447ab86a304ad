"""The JSON row parser: one procedure of the lossless export format into a RowPlan."""

from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from cms.text import normalise_text

from ..models import ProcedurePage
from .procedures import ProcedureData
from .report import MISSING, NOT_A_LIST, UNKNOWN_FORM
from .rows import (
    Ref,
    RowPlan,
    check_code,
    check_submission_url,
    form_by_code,
    iso_date,
    parse_level,
    parse_status,
    parse_tiers,
    required_text,
    row_province,
    tier_flags,
)

JSON_TEXT_FIELDS = (
    "procedure_type",
    "processing_time",
    "fee",
    "result",
    "requirements",
    "decision",
    "competent_agency",
    "authorised_agency",
    "receiving_address",
    "start_button_text",
    "continues_on",
    "other_ways",
    "downtime_notice",
    "abolishing_decision",
)


def parse_json_row(number, raw, default_province, report) -> RowPlan | None:
    code = required_text(number, raw, "code", report)
    check_code(number, code, report)
    title = required_text(number, raw, "title", report)
    agency, field_ref = Ref.parse(raw.get("agency")), Ref.parse(raw.get("field"))
    if not (agency.code or agency.name):
        report.error(number, "agency", MISSING)
    if not (field_ref.code or field_ref.name):
        report.error(number, "field", MISSING)
    level = parse_level(number, raw.get("level"), report)
    tier_values = raw.get("tiers") or []
    if not isinstance(tier_values, list):
        report.error(number, "tiers", NOT_A_LIST)
        tier_values = []
    tiers = parse_tiers(number, [str(t) for t in tier_values], report)
    status = parse_status(number, raw.get("status") or "active", report)
    province, province_ref = row_province(raw, default_province)
    url = normalise_text(raw.get("submission_url"))
    if level is not None:
        check_submission_url(number, url, level, province, report)
    if any(not normalise_text(step.get("description")) for step in raw.get("steps") or []):
        report.error(number, "steps", MISSING)

    values: dict = {
        "level": level,
        **tier_flags(tiers),
        "submission_url": url,
        "status": status or "active",
        "online_payment": bool(raw.get("online_payment")),
        "is_sample_content": bool(raw.get("is_sample_content")),
        "keywords": "; ".join(normalise_text(k) for k in raw.get("keywords") or []),
        "abolished_on": iso_date(number, "abolished_on", raw.get("abolished_on"), report),
        "steps": [
            {
                "type": "step",
                "value": {"title": s.get("title", ""), "description": s.get("description", "")},
            }
            for s in raw.get("steps") or []
        ],
        "channels": [
            {"type": "channel", "value": {k: c.get(k) or "" for k in CHANNEL_KEYS}}
            for c in raw.get("channels") or []
        ],
        "documents": _json_documents(number, raw.get("documents") or [], report),
        "legal_basis": [
            {
                "type": "legal_document",
                "value": {**{k: d.get(k) or "" for k in LEGAL_KEYS}, "date": d.get("date")},
            }
            for d in raw.get("legal_basis") or []
        ],
    }
    values.update({key: normalise_text(raw.get(key)) for key in JSON_TEXT_FIELDS})
    values["description"] = safe_rich_text(raw.get("description"))
    values.update(_english_values(raw.get("translations", {}).get("en") or {}))
    if raw.get("page_title"):  # a long title's short page title, as the editor chose it
        title = normalise_text(raw["page_title"])
        values["full_title"] = normalise_text(raw["title"])
    return RowPlan(
        row=number,
        province=province,
        province_ref=province_ref,
        agency=agency,
        field=field_ref,
        data=ProcedureData(
            code=code, title=title, values=values, roadmap=_json_roadmap(number, raw, report)
        ),
        co_agencies=[Ref.parse(a) for a in raw.get("co_agencies") or []],
        subjects=[normalise_text(s) for s in raw.get("subjects") or []],
        life_events=[Ref.parse(e) for e in raw.get("life_events") or []],
        related_codes=[normalise_text(c) for c in raw.get("related_procedures") or []],
        successor_code=normalise_text(raw.get("successor")) or None,
    )


JSON_TEXT_FIELDS_EN = tuple(
    k for k in JSON_TEXT_FIELDS if k not in ("authorised_agency", "abolishing_decision", "decision")
)
CHANNEL_KEYS = ("channel", "processing_time", "fee", "description")


def safe_rich_text(html: str | None) -> str:
    """Rich text from a file, reduced to what the description editor allows (no scripts,
    no event handlers, no javascript: links), as Wagtail's editor would store it."""
    if not html:
        return ""
    features = ProcedurePage._meta.get_field("description").features
    return EditorHTMLConverter(features=features).to_database_format(normalise_text(html))


LEGAL_KEYS = ("number", "summary", "issuer", "url")


def _json_documents(number, cases: list, report) -> list[dict]:
    blocks = []
    for case in cases:
        items = []
        for item in case.get("documents") or []:
            form_code = normalise_text(item.get("form_code"))
            form = form_by_code(form_code) if form_code else None
            if form_code and form is None:
                report.warn(number, "documents", UNKNOWN_FORM, code=form_code)
            items.append(
                {
                    "name": normalise_text(item.get("name")),
                    "originals": item.get("originals"),
                    "copies": item.get("copies"),
                    "form": form.pk if form else None,
                    "form_code": form_code,
                }
            )
        blocks.append(
            {"type": "case", "value": {"case": case.get("case") or "", "documents": items}}
        )
    return blocks


def _json_roadmap(number, raw, report) -> list[dict]:
    targets = []
    for target in raw.get("roadmap") or []:
        level = parse_level(number, target.get("target_level"), report)
        targets.append(
            {
                "target_level": level,
                "due_year": target.get("due_year"),
                "due_date": iso_date(number, "roadmap", target.get("due_date"), report),
                "source_decision": target.get("source_decision") or "",
            }
        )
    return targets


TRANSLATED_TEXT = ("title", "full_title", *JSON_TEXT_FIELDS_EN)
TRANSLATED_STREAMS = ("steps", "channels", "documents")


def _english_values(english: dict) -> dict:
    """The English values a file carries, for the translated fields only, cleaned as the
    Vietnamese ones are (rich text reduced to what the editor allows)."""
    values = {}
    for key, value in english.items():
        if key in TRANSLATED_TEXT:
            values[f"{key}_en"] = (
                normalise_text(value)[:255] if key == "title" else normalise_text(value)
            )
        elif key == "description":
            values["description_en"] = safe_rich_text(value)
        elif key == "keywords":
            values["keywords_en"] = normalise_text(value)
        elif key in TRANSLATED_STREAMS and isinstance(value, list):
            values[f"{key}_en"] = value
    return values
