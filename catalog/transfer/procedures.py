"""Upserting procedures by code: create, update or leave alone, publishing through BulkPublisher.

Used by load_demo and import_catalog, so that both publish the same way: a new revision only when
something changed, and nothing at all when a run repeats.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField as WagtailStreamField

from cms.text import ascii_fold, normalise_text

from ..models import AgencyPage, LifeEvent, ProcedurePage, RoadmapTarget, Status, Subject
from ..publishing import BulkPublisher

TITLE_MAX = 255
RELATIONS = ("co_agencies", "subjects", "life_events", "related_procedures")


def ascii_slug(text: str, max_length: int = 80) -> str:
    return slugify(ascii_fold(text))[:max_length].strip("-") or "trang"


def short_title(title: str) -> tuple[str, str]:
    """(page title, full title): names longer than a page title keep their full form apart."""
    if len(title) <= TITLE_MAX:
        return title, ""
    cut = title[: TITLE_MAX - 1].rsplit(" ", 1)[0]
    return cut + "…", title


@dataclass
class ProcedureData:
    """What an upsert writes onto a procedure page; fields absent from `values` are left alone."""

    code: str
    title: str
    values: dict = field(default_factory=dict)
    co_agencies: list[AgencyPage] | None = None
    subjects: list[Subject] | None = None
    life_events: list[LifeEvent] | None = None
    related_procedures: list[ProcedurePage] | None = None
    roadmap: list[dict] | None = None

    def relations(self) -> dict[str, list]:
        """The many-to-many relations this upsert sets (None: leave the relation alone)."""
        return {name: getattr(self, name) for name in RELATIONS if getattr(self, name) is not None}

    def page_values(self) -> dict:
        title, full_title = short_title(normalise_text(self.title))
        return {"title": title, "full_title": full_title, **self.values}


def new_procedure(agency: AgencyPage, data: ProcedureData, relations=True) -> ProcedurePage:
    """An unsaved procedure page with the data's values (and relations, held in memory)."""
    values = data.page_values()
    page = ProcedurePage(code=data.code, slug=procedure_slug(data.code, values["title"]))
    assign(page, values, data, relations=relations)
    page.agency, page.province, page.locale_id = agency, agency.province, agency.locale_id
    return page


class ProcedureWriter:
    """Upserts procedures through one BulkPublisher; remembers each province's codes so that a
    first import of a whole catalogue asks nothing per row."""

    def __init__(self, publisher: BulkPublisher):
        self.publisher = publisher
        self.codes: dict[int, dict[str, int]] = {}

    @transaction.atomic
    def upsert(
        self, agency: AgencyPage, data: ProcedureData, page: ProcedurePage | None = None
    ) -> tuple[ProcedurePage, str]:
        """Create, update or leave alone the procedure with this code in the agency's province.

        Returns the page and one of "created", "updated", "unchanged". A procedure found under
        another agency of the province is moved under this one. `page`: that procedure, when
        the caller has already read it (with its relations prefetched)."""
        page_id = page.pk if page is not None else self.existing_id(agency.province_id, data.code)
        if page_id is None:
            return self._create(agency, data), "created"
        page = page or ProcedurePage.objects.get(pk=page_id)
        moved = page.agency_id != agency.pk
        if not moved and not procedure_changed(page, data):
            return page, "unchanged"
        if moved:
            slug = self.publisher.free_slug(agency, page.slug)
            if slug != page.slug:  # Wagtail moves a page only where its slug is free
                page.slug = slug
                page.save(update_fields=["slug"])
            page.move(agency, pos="last-child", user=self.publisher.user)
            page = ProcedurePage.objects.get(pk=page.pk)
        old_title = str(page)
        assign(page, data.page_values(), data)
        self.publisher.update(page, old_title)
        return page, "updated"

    def existing_id(self, province_id: int, code: str) -> int | None:
        if province_id not in self.codes:
            known = ProcedurePage.objects.filter(province_id=province_id).values_list("code", "pk")
            self.codes[province_id] = dict(known.iterator())
        return self.codes[province_id].get(code)

    def _create(self, agency: AgencyPage, data: ProcedureData) -> ProcedurePage:
        page = new_procedure(agency, data, relations=False)  # added below, in one insert each
        _validate_new(page)
        self.publisher.insert(agency, page)
        _add_relations(page, data.relations())
        self.publisher.publish_new(page)
        self.codes.setdefault(page.province_id, {})[page.code] = page.pk
        return page


def _validate_new(page: ProcedurePage) -> None:
    """Every field's own rules and the procedure's rules, without the generic per-foreign-key
    existence queries (the keys a new procedure gets here were all just read from the database)
    and without asking whether its code is taken (the writer knows the province's codes)."""
    relations = [f.name for f in page._meta.fields if f.is_relation]
    page.clean_fields(exclude=[*relations, "path", "depth", "url_path"])
    page.clean(code_checked=True)


def _add_relations(page: ProcedurePage, relations: dict[str, list]) -> None:
    """A new page's many-to-many rows, one insert a relation (modelcluster's commit would first
    read the rows a new page cannot have yet), then held in memory for its revision."""
    for name, objects in relations.items():
        model_field = ProcedurePage._meta.get_field(name)
        through = model_field.remote_field.through
        source, target = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
        target_ids = dict.fromkeys(obj.pk for obj in objects)
        rows = [through(**{f"{source}_id": page.pk, f"{target}_id": pk}) for pk in target_ids]
        through.objects.bulk_create(rows)
        setattr(page, name, list({obj.pk: obj for obj in objects}.values()))


def procedure_slug(code: str, title: str) -> str:
    return f"{ascii_slug(title, 70)}-{ascii_slug(code, 30)}"


def assign(page: ProcedurePage, values: dict, data: ProcedureData, relations=True) -> None:
    for name, value in values.items():
        setattr(page, name, value)
    if page.status == Status.ABOLISHED and not page.abolished_on:
        page.abolished_on = timezone.localdate()
    elif page.status == Status.ACTIVE:
        page.abolished_on = None
    for relation, wanted in data.relations().items() if relations else ():
        setattr(page, relation, wanted)
    if data.roadmap is not None:
        page.roadmap_targets = [RoadmapTarget(**target) for target in data.roadmap]


def procedure_changed(page: ProcedurePage, data: ProcedureData) -> bool:
    if changed(page, data.page_values()):
        return True
    for relation, wanted in data.relations().items():
        if {obj.pk for obj in getattr(page, relation).all()} != {obj.pk for obj in wanted}:
            return True
    if data.roadmap is not None:
        return _roadmap_key(_existing_roadmap(page)) != _roadmap_key(data.roadmap)
    return False


def changed(obj, values: dict) -> bool:
    """Whether setting `values` would change the object (stream values compared by content)."""
    for name, value in values.items():
        model_field = obj._meta.get_field(name)
        if isinstance(model_field, WagtailStreamField) and not isinstance(value, StreamValue):
            value = model_field.to_python(value)
        if _comparable(getattr(obj, name)) != _comparable(value):
            return True
    return False


def _comparable(value):
    """Stream values compare by their content, without the block ids Wagtail adds; an unset
    translation (None) equals an empty one."""
    if value is None:
        return ""
    if isinstance(value, StreamValue):
        value = value.stream_block.get_prep_value(value)
    if isinstance(value, dict):
        if value.get("type") == "item" and "value" in value:
            return _comparable(value["value"])  # a list block item, stored with its wrapper
        return {k: _comparable(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list | tuple):
        return [_comparable(v) for v in value]
    return value


def _roadmap_key(targets) -> list[tuple]:
    return [
        (t["target_level"], t.get("due_year"), t.get("due_date"), t.get("source_decision", ""))
        for t in targets
    ]


def _existing_roadmap(page: ProcedurePage) -> list[dict]:
    return [
        {
            "target_level": t.target_level,
            "due_year": t.due_year,
            "due_date": t.due_date,
            "source_decision": t.source_decision,
        }
        for t in page.roadmap_targets.all()
    ]
