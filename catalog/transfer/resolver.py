"""Finding or creating what rows name: provinces, agencies, fields, subjects and life events.

The one find-or-create of the project for agencies and fields, used by import_catalog, load_demo
and generate_catalog (through import_catalog): by code, else by name ignoring case, spacing and
Unicode form (cms.text.normalise); an unknown one is created, published through Wagtail, and
named in the report.
"""

import re

from cms.models import HomePage
from cms.text import ascii_fold, fold, normalise, normalise_text

from ..models import (
    AgencyKind,
    AgencyPage,
    Field,
    LifeEvent,
    ProcedurePage,
    ProvincePage,
    Subject,
    Tier,
)
from ..publishing import BulkPublisher
from .procedures import ascii_slug, changed
from .report import ImportReport
from .rows import Ref, province_by_code


def sync_page(publisher: BulkPublisher, page, values: dict) -> bool:
    """Set `values` on a live page and publish it, when they change anything."""
    if not changed(page, values):
        return False
    for name, value in values.items():
        setattr(page, name, value)
    publisher.publish_page(page)
    return True


def ensure_province(publisher: BulkPublisher, code: str, name: str, **values) -> ProvincePage:
    """The province page with this code, created under the home page or updated in place."""
    province = ProvincePage.objects.filter(code=code).first()
    values["title"] = normalise_text(name)
    if province is None:
        province = ProvincePage(code=code, slug=code, **values)
        publisher.create_page(HomePage.objects.get(), province)
    else:
        sync_page(publisher, province, values)
    return province


class Resolver:
    """Finds agencies, fields and subjects by code or name, creating the unknown ones.

    Lookups are cached for the run; what a rolled-back row created is forgotten with it."""

    def __init__(self, publisher: BulkPublisher, report: ImportReport | None = None, document=None):
        self.publisher = publisher
        self.report = report or ImportReport()
        self.document = document or {}
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
            province = province_by_code(code) or self.province(None, Ref(code=code))
            self.agency(
                province, Ref(code=described.get("code", ""), name=described.get("name", ""))
            )
        self.keep_row()

    def province(self, known: ProvincePage | None, ref: Ref | None) -> ProvincePage:
        """The province a row names: `known` when it exists, else found or created by `ref`."""
        if known is not None:
            return known
        if ref.code not in self.provinces:
            extra = next(
                (p for p in self.document.get("provinces", []) if p.get("code") == ref.code), {}
            )
            province = ensure_province(
                self.publisher, ref.code, extra.get("name") or ref.name or ref.code
            )
            self._apply_province_settings(province, extra)
            self.provinces[ref.code] = province
        return self.provinces[ref.code]

    def _apply_province_settings(self, province: ProvincePage, extra: dict) -> None:
        keys = {
            "tier_system": "tier_system",
            "allowed_submission_domains": "allowed_submission_domains",
            "name_en": "title_en",
        }
        sync_page(self.publisher, province, {a: extra[k] for k, a in keys.items() if k in extra})

    def agency(self, province: ProvincePage, ref: Ref, **values) -> AgencyPage:
        """The province's agency with the code, else the name, `ref` gives; an unknown one is
        created with `values` (else what the JSON document says of it, else guesses)."""
        cache = self._agency_cache(province)
        for key in (ref.code.upper(), normalise(ref.name), ref.name.upper()):
            if key and key in cache:
                return cache[key]
        return self._create_agency(province, ref, cache, values)

    def _agency_cache(self, province: ProvincePage) -> dict[str, AgencyPage]:
        if province.pk not in self.agencies:
            cache = {}
            for agency in AgencyPage.objects.filter(province=province):
                cache[agency.code.upper()] = agency
                cache[normalise(agency.title)] = agency
            self.agencies[province.pk] = cache
        return self.agencies[province.pk]

    def _create_agency(self, province, ref: Ref, cache, values: dict) -> AgencyPage:
        described = next(
            (
                a
                for a in self.document.get("agencies", [])
                if a.get("province") == province.code and a.get("code") == ref.code
            ),
            {},
        )
        name = normalise_text(described.get("name") or ref.name or ref.code)
        looks_like_code = ref.name and " " not in ref.name and len(ref.name) <= 20
        code = ref.code or (ref.name.upper() if looks_like_code else _agency_code(name, cache))
        kind = values.pop("kind", None) or described.get("kind") or _agency_kind(name)
        values.setdefault("tier", described.get("tier") or _tier_of_kind(kind))
        values.setdefault("title_en", described.get("name_en", ""))
        code = normalise_text(code).upper()
        agency = AgencyPage(code=code, slug=ascii_slug(code), title=name, kind=kind, **values)
        self.publisher.create_page(province, agency)
        self.report.new_agencies.append(f"{province.code}/{agency.code} {agency.title}")
        for key in (agency.code.upper(), normalise(agency.title)):
            cache[key] = agency
            self.created_in_row.append((cache, key))
        return agency

    def field(self, ref: Ref, **values) -> Field:
        """A field by code or name; an unknown one is created and named in the summary."""
        if not self.fields:
            for known in Field.objects.all():
                self.fields[known.code] = self.fields[normalise(known.name)] = known
        for candidate in (ref.code, ref.name, normalise(ref.name)):
            if candidate and candidate in self.fields:
                return self.fields[candidate]
        described = next(
            (f for f in self.document.get("fields", []) if f.get("code") == ref.code), {}
        )
        name = normalise_text(described.get("name") or ref.name or ref.code)
        values.setdefault("name_en", described.get("name_en", ""))
        code = normalise_text(ref.code) or ascii_slug(name)
        created = Field.objects.create(code=code, name=name, **values)
        self.report.new_fields.append(f"{created.code} {created.name}")
        for key in (created.code, normalise(created.name)):
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
            self.known_subjects = {normalise(s.name): s for s in Subject.objects.all()}
        subjects = []
        for name in names:
            key = normalise(name)
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
    folded = fold(name)
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
