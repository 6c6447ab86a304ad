"""import_catalog: upsert procedures from .xlsx, .csv or .json.

Every row is checked before anything is kept. By default the import is atomic: one bad row and
nothing is written. Each problem names its row (as the spreadsheet numbers it), its column and
the reason, in Vietnamese with English beside it.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from cms.text import ascii_fold, match_key, normalise_text
from forms_library.models import FormDocument

from .columns import (
    COLUMNS,
    COLUMNS_BY_KEY,
    FORM_MARK,
    STATUS_WORDS,
    TIER_WORDS,
    folded_word,
    split_lines,
    split_list,
)
from .exporter import export_record, flat_row
from .models import (
    AgencyKind,
    AgencyPage,
    Field,
    LifeEvent,
    ProcedurePage,
    ProvincePage,
    Subject,
    Tier,
)
from .readers import Sheet, read_file
from .records import public_procedures
from .services import (
    ProcedureData,
    ascii_slug,
    bulk_publishing,
    ensure_agency,
    ensure_province,
    upsert_procedure,
)
from .validators import submission_url_error

CHUNK_ROWS = 200  # rows planned together, so the pages they update are read in one query

# Messages: Vietnamese msgids, shown with their English translation beside them.
MISSING = _("Thiếu giá trị bắt buộc.")
BAD_LEVEL = _("Mức độ phải là số nguyên từ 1 đến 4 (nhận được “%(value)s”).")
BAD_TIER = _("Cấp thực hiện không hợp lệ: “%(value)s”. Dùng tỉnh, huyện, xã.")
BAD_STATUS = _("Tình trạng không hợp lệ: “%(value)s”. Dùng “đang hiệu lực” hoặc “đã bãi bỏ”.")
REPEATED_CODE = _("Mã thủ tục %(code)s lặp lại; đã có ở dòng %(first)s.")
UNKNOWN_FORM = _("Chưa có biểu mẫu mã “%(code)s” trong thư viện; dòng giấy tờ được giữ dạng chữ.")
UNKNOWN_COLUMN = _("Cột “%(header)s” không được nhận diện nên bị bỏ qua.")
MISSING_COLUMNS = _("Tệp thiếu cột bắt buộc: %(columns)s.")
NO_PROVINCE = _("Hệ thống có nhiều tỉnh: hãy chọn tỉnh bằng --province MÃ_TỈNH.")
TOO_LONG = _("Quá dài (%(length)s ký tự; tối đa %(limit)s).")
NOT_A_LIST = _("Phải là một danh sách.")
BAD_DATE = _("Ngày không hợp lệ: “%(value)s” (dùng dạng YYYY-MM-DD).")

TEXT_LIMITS = {"title": 2000, "decision": 255, "code": 50}
CODE_PATTERN = re.compile(r"^[^\s/?#]+$")
BAD_CODE = _("Mã thủ tục không được chứa khoảng trắng hoặc các ký tự / ? #.")


def bilingual(message, **params) -> str:
    """The message in Vietnamese, then in English in brackets."""
    texts = []
    for language in ("vi", "en"):
        with translation.override(language):
            texts.append(str(message) % params if params else str(message))
    vi, en = texts
    return vi if vi == en else f"{vi} ({en})"


def bilingual_errors(error: ValidationError) -> list[str]:
    """A model's (lazy) validation messages, each in Vietnamese and English."""
    rendered = []
    for language in ("vi", "en"):
        with translation.override(language):
            rendered.append(list(error.messages))
    return [vi if vi == en else f"{vi} ({en})" for vi, en in zip(*rendered, strict=True)]


@dataclass
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"dòng/row {self.row}")
        if self.column:
            column = COLUMNS_BY_KEY.get(self.column)
            label = f"{column.header} / {column.key}" if column else self.column
            where.append(f"cột/column {label}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    new_agencies: list[str] = field(default_factory=list)
    new_fields: list[str] = field(default_factory=list)
    written: bool = False

    def error(self, row, column, message, **params) -> None:
        self.errors.append(Problem(row, column, bilingual(message, **params)))

    def warn(self, row, column, message, **params) -> None:
        self.warnings.append(Problem(row, column, bilingual(message, **params)))


@dataclass
class Ref:
    """An agency or field as a row names it: a code, a name, or both."""

    code: str = ""
    name: str = ""

    @classmethod
    def parse(cls, value) -> "Ref":
        if isinstance(value, dict):
            return cls(normalise_text(value.get("code")), normalise_text(value.get("name")))
        return cls(name=normalise_text(value))


@dataclass
class RowPlan:
    """One row, checked and turned into what the upsert writes."""

    row: int
    province: ProvincePage | None
    province_ref: Ref | None
    agency: Ref
    field: Ref
    data: ProcedureData
    co_agencies: list[Ref] | None = None
    subjects: list[str] | None = None
    # Spreadsheet cells that flatten structured content (steps, documents, legal basis).
    flat_cells: dict[str, str] = field(default_factory=dict)
    life_events: list[Ref] | None = None
    related_codes: list[str] | None = None
    successor_code: str | None = None

    @property
    def refers_to_procedures(self) -> bool:
        return bool(self.related_codes or self.successor_code)


@dataclass
class ImportOptions:
    province: str | None = None
    dry_run: bool = False
    skip_invalid: bool = False
    user: object = None
    progress: Callable[[Iterable], Iterable] = iter


def import_catalog(path: Path, options: ImportOptions) -> ImportReport:
    """Read, check and write row by row inside one transaction; keep it only when it may be kept
    (no rejected row, or --skip-invalid) and this is not a dry run."""
    report = ImportReport()
    # Lookups are cached for one run only: the library and the provinces may change between runs.
    _province_by_code.cache_clear()
    _forms_by_key.cache_clear()
    sheet = read_file(path)
    if not sheet.is_json:
        _check_header(sheet, report)
    if not report.errors:
        default_province = _default_province(options.province, sheet, report)
    if not report.errors:
        _run(sheet, default_province, path.name, options, report)
    return report


# --- reading and checking rows ------------------------------------------------------------


def _check_header(sheet: Sheet, report: ImportReport) -> None:
    for header in sheet.unknown_headers:
        report.warn(1, header, UNKNOWN_COLUMN, header=header)
    missing = [c for c in COLUMNS if c.required and c.key not in sheet.columns]
    if missing:
        names = ", ".join(f"{c.key} ({c.header})" for c in missing)
        report.error(1, None, MISSING_COLUMNS, columns=names)


def _default_province(code: str | None, sheet: Sheet, report: ImportReport):
    """The province rows go to when they name none: --province, or the only one there is."""
    if code:
        province = ProvincePage.objects.filter(code=code).first()
        return province or Ref(code=code, name=code)
    provinces = list(ProvincePage.objects.all()[:2])
    if len(provinces) == 1:
        return provinces[0]
    if "province" not in sheet.columns and not sheet.is_json:
        report.error(None, None, NO_PROVINCE)
    return None  # each row must name its province


def _plan_row(number, raw, default_province, sheet, first_row_of_code, report) -> RowPlan | None:
    """The row checked and planned, or None (with the reasons in the report) when it is bad."""
    errors_before = len(report.errors)
    parse = _parse_json_row if sheet.is_json else _parse_flat_row
    plan = parse(number, raw, default_province, report)
    if plan.province is None and plan.province_ref is None:
        report.error(number, "province", NO_PROVINCE)
    else:
        key = (plan.province.code if plan.province else plan.province_ref.code, plan.data.code)
        if key in first_row_of_code:
            first = first_row_of_code[key]
            report.error(number, "code", REPEATED_CODE, code=plan.data.code, first=first)
        else:
            first_row_of_code[key] = number
    return plan if len(report.errors) == errors_before else None


def _required_text(number, raw, key, report) -> str:
    value = normalise_text(raw.get(key))
    if not value:
        report.error(number, key, MISSING)
    limit = TEXT_LIMITS.get(key)
    if limit and len(value) > limit:
        report.error(number, key, TOO_LONG, length=len(value), limit=limit)
    return value


def _parse_level(number, value, report) -> int | None:
    text = normalise_text(str(value if value is not None else ""))
    if not text:
        report.error(number, "level", MISSING)
        return None
    try:
        level = int(float(text)) if float(text).is_integer() else None
    except ValueError:
        level = None
    if level not in (1, 2, 3, 4):
        report.error(number, "level", BAD_LEVEL, value=text)
        return None
    return level


def _parse_tiers(number, values: list[str], report) -> list[str]:
    tiers = []
    if not values:
        report.error(number, "tiers", MISSING)
    for value in values:
        tier = TIER_WORDS.get(folded_word(value))
        if tier is None:
            report.error(number, "tiers", BAD_TIER, value=value)
        elif tier not in tiers:
            tiers.append(tier)
    return tiers


def _parse_status(number, value, report) -> str | None:
    if not normalise_text(value):
        return None
    status = STATUS_WORDS.get(folded_word(value))
    if status is None:
        report.error(number, "status", BAD_STATUS, value=value)
    return status


def _check_code(number, code, report) -> None:
    if code and not CODE_PATTERN.match(code):
        report.error(number, "code", BAD_CODE)


def _row_province(raw, default_province) -> tuple[ProvincePage | None, Ref | None]:
    named = raw.get("province")
    if named:
        ref = Ref.parse(named) if isinstance(named, dict) else Ref(code=normalise_text(named))
        existing = _province_by_code(ref.code)
        return existing, None if existing else ref
    if isinstance(default_province, ProvincePage):
        return default_province, None
    return None, default_province


def _check_submission_url(number, url, level, province, report) -> None:
    allowed = province.allowed_domains if province else []
    problem = submission_url_error(url, level, allowed)
    for message in bilingual_errors(problem) if problem else []:
        report.errors.append(Problem(number, "submission_url", message))


def _parse_flat_row(number, raw, default_province, report) -> RowPlan | None:
    code = _required_text(number, raw, "code", report)
    _check_code(number, code, report)
    title = _required_text(number, raw, "title", report)
    agency = _required_text(number, raw, "agency", report)
    field_name = _required_text(number, raw, "field", report)
    level = _parse_level(number, raw.get("level"), report)
    tiers = _parse_tiers(number, split_list(raw.get("tiers", "").replace(",", ";")), report)
    status = _parse_status(number, raw.get("status", ""), report)
    province, province_ref = _row_province(raw, default_province)
    url = normalise_text(raw.get("submission_url"))
    if level is not None:
        _check_submission_url(number, url, level, province, report)

    values: dict = {"level": level, **_tier_flags(tiers)}
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


def _tier_flags(tiers: list[str]) -> dict:
    return {
        "tier_province": Tier.PROVINCE in tiers,
        "tier_district": Tier.DISTRICT in tiers,
        "tier_commune": Tier.COMMUNE in tiers,
    }


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
        form = _form_by_code(form_code) if form_code else None
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


@lru_cache(maxsize=4096)
def _province_by_code(code: str) -> ProvincePage | None:
    return ProvincePage.objects.filter(code=code).first()


def _form_by_code(code: str) -> FormDocument | None:
    return _forms_by_key().get(match_key(code))


@lru_cache(maxsize=1)
def _forms_by_key() -> dict[str, FormDocument]:
    """Every form of the library by its code (case, spacing and Unicode form ignored), read once
    a run: a catalogue cites a few hundred forms, and most rows cite one."""
    return {match_key(f.code): f for f in FormDocument.objects.exclude(code="").order_by("-pk")}


# --- JSON rows (the lossless export format) -----------------------------------------------

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


def _parse_json_row(number, raw, default_province, report) -> RowPlan | None:
    code = _required_text(number, raw, "code", report)
    _check_code(number, code, report)
    title = _required_text(number, raw, "title", report)
    agency, field_ref = Ref.parse(raw.get("agency")), Ref.parse(raw.get("field"))
    if not (agency.code or agency.name):
        report.error(number, "agency", MISSING)
    if not (field_ref.code or field_ref.name):
        report.error(number, "field", MISSING)
    level = _parse_level(number, raw.get("level"), report)
    tier_values = raw.get("tiers") or []
    if not isinstance(tier_values, list):
        report.error(number, "tiers", NOT_A_LIST)
        tier_values = []
    tiers = _parse_tiers(number, [str(t) for t in tier_values], report)
    status = _parse_status(number, raw.get("status") or "active", report)
    province, province_ref = _row_province(raw, default_province)
    url = normalise_text(raw.get("submission_url"))
    if level is not None:
        _check_submission_url(number, url, level, province, report)
    if any(not normalise_text(step.get("description")) for step in raw.get("steps") or []):
        report.error(number, "steps", MISSING)

    values: dict = {
        "level": level,
        **_tier_flags(tiers),
        "submission_url": url,
        "status": status or "active",
        "online_payment": bool(raw.get("online_payment")),
        "is_sample_content": bool(raw.get("is_sample_content")),
        "keywords": "; ".join(normalise_text(k) for k in raw.get("keywords") or []),
        "abolished_on": _iso_date(number, "abolished_on", raw.get("abolished_on"), report),
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
            form = _form_by_code(form_code) if form_code else None
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
        level = _parse_level(number, target.get("target_level"), report)
        targets.append(
            {
                "target_level": level,
                "due_year": target.get("due_year"),
                "due_date": _iso_date(number, "roadmap", target.get("due_date"), report),
                "source_decision": target.get("source_decision") or "",
            }
        )
    return targets


def _iso_date(number, column: str, value, report) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        report.error(number, column, BAD_DATE, value=value)
        return None


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


# --- writing -------------------------------------------------------------------------------


class Resolver:
    """Finds agencies, fields and subjects by code or name, creating the unknown ones.

    Lookups are cached for the run; what a rolled-back row created is forgotten with it."""

    def __init__(self, report: ImportReport, document: dict):
        self.report = report
        self.document = document
        self.provinces: dict[str, ProvincePage] = {}
        self.agencies: dict[int, dict[str, AgencyPage]] = {}
        self.fields: dict[str, Field] = {}
        self.known_subjects: dict[str, Subject] = {}
        self.created_in_row: list[tuple[dict, str]] = []
        self.keep_row()

    def forget_row(self) -> None:
        """A rolled-back row's new agencies, fields and subjects no longer exist."""
        for cache, key in self.created_in_row:
            cache.pop(key, None)
        del self.report.new_agencies[self.agencies_before :]
        del self.report.new_fields[self.fields_before :]
        self.keep_row()

    def keep_row(self) -> None:
        self.created_in_row = []
        self.agencies_before = len(self.report.new_agencies)
        self.fields_before = len(self.report.new_fields)

    def create_described(self, only_province: str | None) -> None:
        """Every agency and field the JSON document lists, also those no procedure names."""
        for described in self.document.get("fields", []):
            self.field(Ref(code=described.get("code", ""), name=described.get("name", "")))
        for described in self.document.get("agencies", []):
            code = described.get("province")
            if not code or (only_province and code != only_province):
                continue
            plan_province = _province_by_code(code)
            province = plan_province or self.province(
                RowPlan(0, None, Ref(code=code), Ref(), Ref(), ProcedureData("", ""))
            )
            self.agency(
                province, Ref(code=described.get("code", ""), name=described.get("name", ""))
            )
        self.keep_row()

    def province(self, plan: RowPlan) -> ProvincePage:
        if plan.province is not None:
            return plan.province
        ref = plan.province_ref
        if ref.code not in self.provinces:
            extra = next(
                (p for p in self.document.get("provinces", []) if p.get("code") == ref.code), {}
            )
            province, _ = ensure_province(ref.code, extra.get("name") or ref.name or ref.code)
            self._apply_province_settings(province, extra)
            self.provinces[ref.code] = province
        return self.provinces[ref.code]

    def _apply_province_settings(self, province: ProvincePage, extra: dict) -> None:
        keys = {
            "tier_system": "tier_system",
            "allowed_submission_domains": "allowed_submission_domains",
            "name_en": "title_en",
        }
        wanted = {attr: extra[key] for key, attr in keys.items() if key in extra}
        if wanted and any(getattr(province, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(province, k, v)
            province.save_revision().publish()

    def agency(self, province: ProvincePage, ref: Ref) -> AgencyPage:
        cache = self._agency_cache(province)
        for key in (ref.code.upper(), match_key(ref.name), ref.name.upper()):
            if key and key in cache:
                return cache[key]
        return self._create_agency(province, ref, cache)

    def _agency_cache(self, province: ProvincePage) -> dict[str, AgencyPage]:
        if province.pk not in self.agencies:
            cache = {}
            for agency in AgencyPage.objects.filter(province=province):
                cache[agency.code.upper()] = agency
                cache[match_key(agency.title)] = agency
            self.agencies[province.pk] = cache
        return self.agencies[province.pk]

    def _create_agency(self, province, ref: Ref, cache) -> AgencyPage:
        described = next(
            (
                a
                for a in self.document.get("agencies", [])
                if a.get("province") == province.code and a.get("code") == ref.code
            ),
            {},
        )
        name = described.get("name") or ref.name or ref.code
        looks_like_code = ref.name and " " not in ref.name and len(ref.name) <= 20
        code = ref.code or (ref.name.upper() if looks_like_code else _agency_code(name, cache))
        kind = described.get("kind") or _agency_kind(name)
        tier = described.get("tier") or _tier_of_kind(kind)
        agency, created = ensure_agency(
            province, code, name, kind=kind, tier=tier, title_en=described.get("name_en", "")
        )
        if created:
            self.report.new_agencies.append(f"{province.code}/{agency.code} {agency.title}")
        for key in (agency.code.upper(), match_key(agency.title)):
            cache[key] = agency
            self.created_in_row.append((cache, key))
        return agency

    def field(self, ref: Ref) -> Field:
        """A field by code or name; an unknown one is created and named in the summary."""
        if not self.fields:
            for known in Field.objects.all():
                self.fields[known.code] = self.fields[match_key(known.name)] = known
        for candidate in (ref.code, ref.name, match_key(ref.name)):
            if candidate and candidate in self.fields:
                return self.fields[candidate]
        described = next(
            (f for f in self.document.get("fields", []) if f.get("code") == ref.code), {}
        )
        name = described.get("name") or ref.name or ref.code
        created = Field.objects.create(
            code=ref.code or ascii_slug(name), name=name, name_en=described.get("name_en", "")
        )
        self.report.new_fields.append(f"{created.code} {created.name}")
        for key in (created.code, match_key(created.name)):
            self.fields[key] = created
            self.created_in_row.append((self.fields, key))
        return created

    def life_events(self, refs: list[Ref]) -> list[LifeEvent]:
        events = []
        for ref in refs:
            event = LifeEvent.objects.filter(code=ref.code).first()
            if event is None:
                event = LifeEvent.objects.create(code=ref.code, name=ref.name or ref.code)
            events.append(event)
        return events

    def procedures(self, province: ProvincePage, codes: list[str]) -> list[ProcedurePage]:
        return list(ProcedurePage.objects.filter(province=province, code__in=codes))

    def subjects(self, names: list[str]) -> list[Subject]:
        if not self.known_subjects:
            self.known_subjects = {match_key(s.name): s for s in Subject.objects.all()}
        subjects = []
        for name in names:
            key = match_key(name)
            if key not in self.known_subjects:
                self.known_subjects[key] = Subject.objects.create(code=ascii_slug(name), name=name)
                self.created_in_row.append((self.known_subjects, key))
            subjects.append(self.known_subjects[key])
        return subjects


def _agency_code(name: str, cache: dict) -> str:
    """Initials of the name (Sở Xây dựng → SXD), made unique within the province."""
    base = "".join(w[0] for w in ascii_fold(name).split() if w[0].isalnum()).upper() or "CQ"
    code, n = base, 2
    while code in cache:
        code, n = f"{base}{n}", n + 1
    return code


def _agency_kind(name: str) -> str:
    folded = folded_word(name)
    if folded.startswith("so "):
        return AgencyKind.DEPARTMENT
    if re.match(r"(ubnd|uy ban nhan dan) (cap )?(huyen|quan|thi xa|thanh pho)", folded):
        return AgencyKind.DISTRICT_COMMITTEE
    if re.match(r"(ubnd|uy ban nhan dan) (cap )?(xa|phuong|thi tran)", folded):
        return AgencyKind.COMMUNE_COMMITTEE
    return AgencyKind.OTHER


def _tier_of_kind(kind: str) -> str:
    return {
        AgencyKind.DISTRICT_COMMITTEE: Tier.DISTRICT,
        AgencyKind.COMMUNE_COMMITTEE: Tier.COMMUNE,
    }.get(kind, Tier.PROVINCE)


def _run(sheet: Sheet, default_province, source: str, options: ImportOptions, report) -> None:
    resolver = Resolver(report, sheet.document)
    if sheet.is_json:
        resolver.create_described(options.province)
    rejected_rows: set[int] = set()
    first_row_of_code: dict[tuple, int] = {}
    with transaction.atomic():
        with bulk_publishing():
            to_link = []
            for chunk in batched(options.progress(sheet.rows), CHUNK_ROWS):
                plans = []
                for number, raw in chunk:
                    plan = _plan_row(
                        number, raw, default_province, sheet, first_row_of_code, report
                    )
                    if plan is None:
                        rejected_rows.add(number)
                    else:
                        plans.append(plan)
                published = _published_pages(plans)
                for plan in plans:
                    savepoint = transaction.savepoint()
                    try:
                        existing = published.get((_province_code(plan), plan.data.code))
                        outcome = _write_row(plan, resolver, source, options.user, existing)
                    except ValidationError as error:
                        transaction.savepoint_rollback(savepoint)
                        resolver.forget_row()
                        _reject(plan, error, report, rejected_rows)
                        continue
                    transaction.savepoint_commit(savepoint)
                    resolver.keep_row()
                    if plan.refers_to_procedures:
                        to_link.append(plan)
                    setattr(report, outcome, getattr(report, outcome) + 1)
            for plan, error in _link_procedures(to_link, resolver, source, options.user):
                _reject(plan, error, report, rejected_rows)
        report.rejected = len(rejected_rows)
        keep = not options.dry_run and (options.skip_invalid or not rejected_rows)
        if not keep:
            transaction.set_rollback(True)
            report.new_agencies, report.new_fields = (
                [f"{a} (chưa ghi / not written)" for a in report.new_agencies],
                [f"{f} (chưa ghi / not written)" for f in report.new_fields],
            )
        report.written = keep


def _reject(plan: RowPlan, error: ValidationError, report: ImportReport, rejected: set) -> None:
    rejected.add(plan.row)
    for column, problem in _errors_by_column(error):
        for message in bilingual_errors(problem):
            report.errors.append(Problem(plan.row, column, message))


def _link_procedures(plans: list[RowPlan], resolver: Resolver, source: str, user):
    """Related procedures and successors may name rows further down the file: link them once
    every row is in. Yields (plan, error) for the links that do not validate."""
    for plan in plans:
        province = resolver.province(plan)
        plan.data.related_procedures = resolver.procedures(province, plan.related_codes or [])
        successor = resolver.procedures(
            province, [plan.successor_code] if plan.successor_code else []
        )
        plan.data.values["successor"] = successor[0] if successor else None
        agency = resolver.agency(province, plan.agency)
        try:
            upsert_procedure(agency, plan.data, user=user, source=source)
        except ValidationError as error:
            yield plan, error


def batched(rows: Iterable, size: int) -> Iterator[list]:
    """Rows in lists of `size` (itertools.batched arrives with Python 3.12)."""
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _province_code(plan: RowPlan) -> str:
    return plan.province.code if plan.province is not None else plan.province_ref.code


def _published_pages(plans: list[RowPlan]) -> dict[tuple[str, str], ProcedurePage]:
    """The published procedures these rows name, with everything their record reads, in one
    read per province: a row-by-row read of the wide page model costs more than the write."""
    codes = defaultdict(set)
    for plan in plans:
        codes[_province_code(plan)].add(plan.data.code)
    found = {}
    for province_code, province_codes in codes.items():
        pages = public_procedures().filter(province__code=province_code, code__in=province_codes)
        found.update({(province_code, page.code): page for page in pages})
    return found


def _write_row(plan: RowPlan, resolver: Resolver, source: str, user, existing) -> str:
    province = resolver.province(plan)
    agency = resolver.agency(province, plan.agency)
    plan.data.values["field"] = resolver.field(plan.field)
    if plan.co_agencies is not None:
        plan.data.co_agencies = [resolver.agency(province, ref) for ref in plan.co_agencies]
    if plan.subjects is not None:
        plan.data.subjects = resolver.subjects(plan.subjects)
    if plan.life_events is not None:
        plan.data.life_events = resolver.life_events(plan.life_events)
    if plan.refers_to_procedures:
        # Linked after every row is in (_link_procedures); the first pass leaves them as they are.
        plan.data.related_procedures = None
    if existing is not None:
        keep_unchanged_structure(plan, existing)
    _page, outcome = upsert_procedure(agency, plan.data, user=user, source=source, page=existing)
    return outcome


def keep_unchanged_structure(plan: RowPlan, existing: ProcedurePage) -> None:
    """A spreadsheet flattens steps, documents and legal basis to lines of text. When a cell
    still reads exactly as the existing procedure flattens, the editor did not touch it: keep
    the structured original (step titles, document cases and counts, legal dates, links)."""
    if not plan.flat_cells:
        return
    current = flat_row(export_record(existing))
    for key, cell in plan.flat_cells.items():
        if split_lines(current[key]) == split_lines(cell):
            plan.data.values.pop(key, None)


def _errors_by_column(error: ValidationError):
    """A model's validation errors, keyed by the import column they belong to."""
    column_of = {"tier_province": "tiers", "tier_district": "tiers", "tier_commune": "tiers"}
    if not hasattr(error, "error_dict"):
        yield None, error
        return
    for name, errors in error.error_dict.items():
        yield column_of.get(name, name), ValidationError(errors)
