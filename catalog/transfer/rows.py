"""What the spreadsheet and JSON row parsers share: the planned row and the checks of its cells.

A check adds its problem to the report and returns what it could read, so that one pass over a
row names every problem it has.
"""

import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache

from cms.text import fold, normalise, normalise_text
from forms_library.models import FormDocument

from ..models import ProvincePage, Tier
from ..validators import submission_url_error
from .columns import STATUS_WORDS, TIER_WORDS
from .procedures import ProcedureData
from .report import (
    BAD_CODE,
    BAD_DATE,
    BAD_LEVEL,
    BAD_STATUS,
    BAD_TIER,
    MISSING,
    TOO_LONG,
    Problem,
    bilingual_errors,
)

TEXT_LIMITS = {"title": 2000, "decision": 255, "code": 50}
CODE_PATTERN = re.compile(r"^[^\s/?#]+$")


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


def required_text(number, raw, key, report) -> str:
    value = normalise_text(raw.get(key))
    if not value:
        report.error(number, key, MISSING)
    limit = TEXT_LIMITS.get(key)
    if limit and len(value) > limit:
        report.error(number, key, TOO_LONG, length=len(value), limit=limit)
    return value


def parse_level(number, value, report) -> int | None:
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


def parse_tiers(number, values: list[str], report) -> list[str]:
    tiers = []
    if not values:
        report.error(number, "tiers", MISSING)
    for value in values:
        tier = TIER_WORDS.get(fold(value))
        if tier is None:
            report.error(number, "tiers", BAD_TIER, value=value)
        elif tier not in tiers:
            tiers.append(tier)
    return tiers


def parse_status(number, value, report) -> str | None:
    if not normalise_text(value):
        return None
    status = STATUS_WORDS.get(fold(value))
    if status is None:
        report.error(number, "status", BAD_STATUS, value=value)
    return status


def check_code(number, code, report) -> None:
    if code and not CODE_PATTERN.match(code):
        report.error(number, "code", BAD_CODE)


def row_province(raw, default_province) -> tuple[ProvincePage | None, Ref | None]:
    named = raw.get("province")
    if named:
        ref = Ref.parse(named) if isinstance(named, dict) else Ref(code=normalise_text(named))
        existing = province_by_code(ref.code)
        return existing, None if existing else ref
    if isinstance(default_province, ProvincePage):
        return default_province, None
    return None, default_province


def check_submission_url(number, url, level, province, report) -> None:
    allowed = province.allowed_domains if province else []
    problem = submission_url_error(url, level, allowed)
    for message in bilingual_errors(problem) if problem else []:
        report.errors.append(Problem(number, "submission_url", message))


def tier_flags(tiers: list[str]) -> dict:
    return {
        "tier_province": Tier.PROVINCE in tiers,
        "tier_district": Tier.DISTRICT in tiers,
        "tier_commune": Tier.COMMUNE in tiers,
    }


@lru_cache(maxsize=4096)
def province_by_code(code: str) -> ProvincePage | None:
    return ProvincePage.objects.filter(code=code).first()


def form_by_code(code: str) -> FormDocument | None:
    return forms_by_key().get(normalise(code))


@lru_cache(maxsize=1)
def forms_by_key() -> dict[str, FormDocument]:
    """Every form of the library by its code (case, spacing and Unicode form ignored), read once
    a run: a catalogue cites a few hundred forms, and most rows cite one."""
    return {normalise(f.code): f for f in FormDocument.objects.exclude(code="").order_by("-pk")}


def iso_date(number, column: str, value, report) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        report.error(number, column, BAD_DATE, value=value)
        return None
