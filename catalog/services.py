"""Writing the catalogue: find-or-create provinces, agencies and taxonomies, and upsert procedures.

Used by load_demo and import_catalog, so that both publish the same way: a new revision only when
something changed, and nothing at all when a run repeats.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler as modelsearch_post_save
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField as WagtailStreamField
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published

from cms.models import HomePage
from cms.text import ascii_fold, match_key, normalise_text

from .models import (
    AgencyPage,
    Field,
    LifeEvent,
    ProcedurePage,
    ProvincePage,
    RoadmapTarget,
    Status,
    Subject,
)
from .signals import procedures_published_in_bulk

TITLE_MAX = 255
IMPORT_ACTION = "catalog.import"
_bulk_state = threading.local()


def ascii_slug(text: str, max_length: int = 80) -> str:
    return slugify(ascii_fold(text))[:max_length].strip("-") or "trang"


def short_title(title: str) -> tuple[str, str]:
    """(page title, full title): names longer than a page title keep their full form apart."""
    if len(title) <= TITLE_MAX:
        return title, ""
    cut = title[: TITLE_MAX - 1].rsplit(" ", 1)[0]
    return cut + "…", title


def home_page() -> HomePage:
    return HomePage.objects.get()


def publish(page: Page, user=None, source: str = "") -> None:
    """A new revision, published (publishing validates the page).

    With `source`, the page history names where the change came from (an import file)."""
    revision = page.save_revision(user=user, log_action=not source, clean=False)
    if source:
        data = {"source": source}
        log(instance=page, action=IMPORT_ACTION, user=user, revision=revision, data=data)
    revision.publish(user=user)
    _bulk_changed_ids = getattr(_bulk_state, "changed", None)
    if _bulk_changed_ids is not None:
        _bulk_changed_ids.append(page.pk)


@contextmanager
def bulk_publishing():
    """Publish many pages without indexing each one: the search index and reference index
    are updated once, in bulk, for every page published inside the block (after commit)."""
    _bulk_state.changed = changed = []
    paused = [
        model
        for model in (ProcedurePage, AgencyPage)
        if post_save.disconnect(modelsearch_post_save, sender=model)
    ]
    try:
        with disable_reference_index_auto_update():
            yield changed
    finally:
        for model in paused:
            post_save.connect(modelsearch_post_save, sender=model)
        _bulk_state.changed = None
    if changed:
        index_in_bulk(changed)
        procedures_published_in_bulk.send(sender=ProcedurePage, page_ids=list(changed))


def index_in_bulk(page_ids: list[int]) -> None:
    pages = list(ProcedurePage.objects.filter(pk__in=set(page_ids)))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(ProcedurePage, pages)
    for page in pages:
        ReferenceIndex.create_or_update_for_object(page)


def _comparable(value):
    """Stream values compare by their content, without the block ids Wagtail adds; an unset
    translation (None) equals an empty one."""
    if value is None:
        return ""
    if isinstance(value, StreamValue):
        value = value.stream_block.get_prep_value(value)
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list | tuple):
        return [_comparable(v) for v in value]
    return value


def _changed(obj, values: dict) -> bool:
    for name, value in values.items():
        model_field = obj._meta.get_field(name)
        if isinstance(model_field, WagtailStreamField) and not isinstance(value, StreamValue):
            value = model_field.to_python(value)
        if _comparable(getattr(obj, name)) != _comparable(value):
            return True
    return False


def ensure_province(code: str, name: str, **values) -> tuple[ProvincePage, bool]:
    """The province page with this code, created under the home page or updated in place."""
    province = ProvincePage.objects.filter(code=code).first()
    values["title"] = normalise_text(name)
    if province is None:
        province = ProvincePage(code=code, slug=code, live=False, **values)
        home_page().add_child(instance=province)
        publish(province)
        return province, True
    if _changed(province, values):
        for name_, value in values.items():
            setattr(province, name_, value)
        publish(province)
    return province, False


def find_agency(province: ProvincePage, code_or_name: str) -> AgencyPage | None:
    """An agency of the province by code, or by name ignoring case, spacing and Unicode form."""
    key = match_key(code_or_name)
    agencies = AgencyPage.objects.filter(province=province)
    by_code = agencies.filter(code__iexact=normalise_text(code_or_name)).first()
    if by_code:
        return by_code
    return next((a for a in agencies if match_key(a.title) == key), None)


def ensure_agency(
    province: ProvincePage, code: str, name: str, **values
) -> tuple[AgencyPage, bool]:
    code = normalise_text(code).upper()
    agency = AgencyPage.objects.filter(province=province, code=code).first()
    values["title"] = normalise_text(name)
    if agency is None:
        agency = AgencyPage(code=code, slug=ascii_slug(code), live=False, **values)
        province.add_child(instance=agency)
        publish(agency)
        return agency, True
    if _changed(agency, values):
        for name_, value in values.items():
            setattr(agency, name_, value)
        publish(agency)
    return agency, False


def ensure_field(code: str, name: str, **values) -> tuple[Field, bool]:
    code = normalise_text(code)
    existing = Field.objects.filter(code=code).first() or next(
        (f for f in Field.objects.all() if match_key(f.name) == match_key(name)), None
    )
    if existing:
        return existing, False
    return Field.objects.create(code=code, name=normalise_text(name), **values), True


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

    def relations(self) -> dict[str, list]:
        """The many-to-many relations this upsert sets (None: leave the relation alone)."""
        names = ("co_agencies", "subjects", "life_events", "related_procedures")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}

    roadmap: list[dict] | None = None


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


def procedure_values(data: ProcedureData) -> dict:
    title, full_title = short_title(normalise_text(data.title))
    return {"title": title, "full_title": full_title, **data.values}


@transaction.atomic
def upsert_procedure(
    agency: AgencyPage, data: ProcedureData, user=None, source: str = ""
) -> tuple[ProcedurePage, str]:
    """Create, update or leave alone the procedure with this code in the agency's province.

    Returns the page and one of "created", "updated", "unchanged". A procedure found under
    another agency of the province is moved under this one.
    """
    values = procedure_values(data)
    page = ProcedurePage.objects.filter(province=agency.province, code=data.code).first()
    if page is None:
        page = ProcedurePage(code=data.code, slug=_procedure_slug(data.code, values["title"]))
        _assign(page, values, data)
        page.agency, page.province = agency, agency.province
        _mark_live(page)
        agency.add_child(instance=page)  # saves, validating the whole page first
        _record_publication(page, user, source, created=True)
        return page, "created"

    moved = page.agency_id != agency.pk
    if not moved and not _procedure_changed(page, values, data):
        return page, "unchanged"
    if moved:
        page.move(agency, pos="last-child", user=user)
        page = ProcedurePage.objects.get(pk=page.pk)
    _assign(page, values, data)
    _mark_live(page)
    page.save()  # validates the whole page first
    _record_publication(page, user, source, created=False)
    return page, "updated"


def _mark_live(page: ProcedurePage) -> None:
    now = timezone.now()
    page.live, page.has_unpublished_changes, page.expired = True, False, False
    page.first_published_at = page.first_published_at or now
    page.last_published_at = now
    page.draft_title = page.title


def _record_publication(page: ProcedurePage, user, source: str, created: bool) -> None:
    """The revision, history and signal Wagtail's publish action gives a page, for a page that
    was saved live directly (a bulk import has no workflow and no scheduled go-live). Doing it
    here spares the revision's JSON round trip and a second save of every page."""
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        user=user,
        content=page.serializable_data(),
        object_str=str(page),
    )
    Page.objects.filter(pk=page.pk).update(
        latest_revision=revision,
        live_revision=revision,
        latest_revision_created_at=revision.created_at,
    )
    page.latest_revision = page.live_revision = revision
    # One history entry a row: it says the page was created or changed, and published, from
    # the named source.
    data = {"source": source or "load_demo", "created": created}
    log(
        instance=page,
        action=IMPORT_ACTION,
        user=user,
        revision=revision,
        data=data,
        content_changed=True,
    )
    page_published.send(sender=ProcedurePage, instance=page, revision=revision)
    changed = getattr(_bulk_state, "changed", None)
    if changed is not None:
        changed.append(page.pk)


def _procedure_slug(code: str, title: str) -> str:
    return f"{ascii_slug(title, 70)}-{ascii_slug(code, 30)}"


def _procedure_changed(page: ProcedurePage, values: dict, data: ProcedureData) -> bool:
    if _changed(page, values):
        return True
    for relation, wanted in data.relations().items():
        if {obj.pk for obj in getattr(page, relation).all()} != {obj.pk for obj in wanted}:
            return True
    if data.roadmap is not None:
        return _roadmap_key(_existing_roadmap(page)) != _roadmap_key(data.roadmap)
    return False


def _assign(page: ProcedurePage, values: dict, data: ProcedureData) -> None:
    for name, value in values.items():
        setattr(page, name, value)
    if page.status == Status.ABOLISHED and not page.abolished_on:
        page.abolished_on = timezone.localdate()
    elif page.status == Status.ACTIVE:
        page.abolished_on = None
    for relation, wanted in data.relations().items():
        setattr(page, relation, wanted)
    if data.roadmap is not None:
        page.roadmap_targets = [RoadmapTarget(**target) for target in data.roadmap]
