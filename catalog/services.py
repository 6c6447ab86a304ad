"""Writing the catalogue: find-or-create provinces, agencies and taxonomies, and upsert procedures.

Used by load_demo and import_catalog, so that both publish the same way: a new revision only when
something changed, and nothing at all when a run repeats.
"""

import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler as modelsearch_post_save
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField as WagtailStreamField
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
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

TITLE_MAX = 255
IMPORT_ACTION = "catalog.import"
HISTORY_BATCH = 500
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
    _note_published(page)


@contextmanager
def bulk_publishing():
    """Publish many pages inside the caller's transaction without indexing each one.

    History entries of new pages are written together when the block ends; the search index
    and the reference index are updated in bulk once the transaction commits (nothing is
    indexed when it rolls back)."""
    _bulk_state.changed = changed = defaultdict(list)
    _bulk_state.last_paths = {}
    _bulk_state.history = history = []
    _bulk_state.codes = {}
    paused = [
        model
        for model in (ProcedurePage, AgencyPage)
        if post_save.disconnect(modelsearch_post_save, sender=model)
    ]
    try:
        with disable_reference_index_auto_update():
            yield changed
        PageLogEntry.objects.bulk_create(history, batch_size=500)
    finally:
        for model in paused:
            post_save.connect(modelsearch_post_save, sender=model)
        _bulk_state.changed = _bulk_state.last_paths = _bulk_state.history = None
        _bulk_state.codes = None
    if changed:
        transaction.on_commit(lambda: index_in_bulk(changed))


def index_in_bulk(changed: dict[type, list[int]], batch_size: int = 500) -> None:
    """Search and reference indexes for pages published in bulk, a batch at a time."""
    for model, page_ids in changed.items():
        unique_ids = sorted(set(page_ids))
        # The reference index reads every child relation of every page: one query each.
        children = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
        pages = model.objects.prefetch_related(*children)
        for start in range(0, len(unique_ids), batch_size):
            batch = list(pages.filter(pk__in=unique_ids[start : start + batch_size]))
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(model, batch)
            with transaction.atomic():
                index_references(batch)


def index_references(pages: list[Page]) -> None:
    """Wagtail's reference index for many pages of one type.

    Pages already indexed go through ReferenceIndex.create_or_update_for_object, which also
    removes stale references; pages never indexed (new ones) have their references extracted
    the same way and inserted together."""
    if not pages:
        return
    model = type(pages[0])
    content_types = [
        ContentType.objects.get_for_model(m, for_concrete_model=False)
        for m in [model, *model._meta.get_parent_list()]
    ]
    indexed = set(
        ReferenceIndex.objects.filter(
            base_content_type=content_types[-1], object_id__in=[str(p.pk) for p in pages]
        ).values_list("object_id", flat=True)
    )
    rows = []
    for page in pages:
        if str(page.pk) in indexed:
            ReferenceIndex.create_or_update_for_object(page)
            continue
        for to_type, to_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(page)
        ):
            rows.append(
                ReferenceIndex(
                    content_type=content_types[0],
                    base_content_type=content_types[-1],
                    object_id=page.pk,
                    to_content_type_id=to_type,
                    to_object_id=to_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
            )
    ReferenceIndex.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def existing_procedure_id(province: ProvincePage, code: str) -> int | None:
    """The id of the province's procedure with this code, if there is one.

    During bulk publishing the province's codes are read once and kept: a first import of a
    whole catalogue then asks nothing per row (a lookup per row costs more to build than to
    run, through a Page model of this width)."""
    codes = getattr(_bulk_state, "codes", None)
    if codes is None:
        found = ProcedurePage.objects.filter(province=province, code=code)
        return found.values_list("pk", flat=True).first()
    if province.pk not in codes:
        known = ProcedurePage.objects.filter(province=province).values_list("code", "pk")
        codes[province.pk] = dict(known.iterator())
    return codes[province.pk].get(code)


def _remember_code(page: ProcedurePage) -> None:
    codes = getattr(_bulk_state, "codes", None)
    if codes is not None and page.province_id in codes:
        codes[page.province_id][page.code] = page.pk


def _note_published(page: Page) -> None:
    changed = getattr(_bulk_state, "changed", None)
    if changed is not None:
        changed[type(page)].append(page.pk)


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
    agency: AgencyPage,
    data: ProcedureData,
    user=None,
    source: str = "",
    page: ProcedurePage | None = None,
) -> tuple[ProcedurePage, str]:
    """Create, update or leave alone the procedure with this code in the agency's province.

    Returns the page and one of "created", "updated", "unchanged". A procedure found under
    another agency of the province is moved under this one. `page`: that procedure, when the
    caller has already read it (with its relations prefetched).
    """
    values = procedure_values(data)
    page_id = page.pk if page is not None else existing_procedure_id(agency.province, data.code)
    if page_id is None:
        page = ProcedurePage(code=data.code, slug=_procedure_slug(data.code, values["title"]))
        _assign(page, values, data, relations=False)
        page.agency, page.province, page.locale_id = agency, agency.province, agency.locale_id
        _mark_live(page)
        _validate_new(page)
        _insert_child(agency, page)
        _add_relations(page, data.relations())
        _record_creation(page, user, source)
        _remember_code(page)
        return page, "created"

    page = page or ProcedurePage.objects.get(pk=page_id)
    moved = page.agency_id != agency.pk
    if not moved and not _procedure_changed(page, values, data):
        return page, "unchanged"
    if moved:
        page.move(agency, pos="last-child", user=user)
        page = ProcedurePage.objects.get(pk=page.pk)
    _assign(page, values, data)
    _mark_live(page)
    page.save()  # validates the whole page first
    _record_publication(page, user, source)
    return page, "updated"


def _mark_live(page: ProcedurePage) -> None:
    now = timezone.now()
    page.live, page.has_unpublished_changes, page.expired = True, False, False
    page.first_published_at = page.first_published_at or now
    page.last_published_at = now
    page.draft_title = page.title


def _validate_new(page: ProcedurePage) -> None:
    """Every field's own rules and the procedure's rules, without the generic per-foreign-key
    existence queries: the keys a new procedure gets here were all just read from the database."""
    relations = [f.name for f in page._meta.fields if f.is_relation]
    page.clean_fields(exclude=[*relations, "path", "depth", "url_path"])
    page.clean()


def _insert_child(parent: Page, page: Page) -> None:
    """treebeard's add_child for a page already validated: the next path under the parent
    (remembered across a bulk batch), one insert, the parent's child count."""
    last_paths = getattr(_bulk_state, "last_paths", None)
    last = last_paths.get(parent.pk) if last_paths is not None else None
    if last is None:
        last = (
            Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
    depth = parent.depth + 1
    step = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
    page.depth, page.numchild = depth, 0
    page.path = Page._get_path(parent.path, depth, step)
    page._cached_parent_obj = parent  # treebeard's cache: spares Page.save a query
    page._is_site_root = False  # a procedure is never a site root: spares another
    page.save(clean=False, log_action=None)  # the caller writes the page's history entry
    with connection.cursor() as cursor:  # the ORM's update costs more to build than to run
        cursor.execute(
            "UPDATE wagtailcore_page SET numchild = numchild + 1 WHERE id = %s", [parent.pk]
        )
    if last_paths is not None:
        last_paths[parent.pk] = page.path


def _record_creation(page: ProcedurePage, user, source: str) -> None:
    """A new page goes live in one step, so its history is one entry: created and published
    from the named source. Its first revision is made when an editor first saves it."""
    data = {"source": source or "load_demo", "created": True}
    history = getattr(_bulk_state, "history", None)
    if history is None:
        log(instance=page, action=IMPORT_ACTION, user=user, data=data, content_changed=True)
    else:
        if len(history) >= HISTORY_BATCH:  # keep memory flat on very large imports
            PageLogEntry.objects.bulk_create(history)
            history.clear()
        history.append(
            PageLogEntry(
                content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
                label=page.title,
                action=IMPORT_ACTION,
                timestamp=timezone.now(),
                data=data,
                user=user,
                page_id=page.pk,
                content_changed=True,
                uuid=get_active_log_context().uuid,
            )
        )
    _published(page, revision=None)


def _published(page: ProcedurePage, revision) -> None:
    page_published.send(sender=ProcedurePage, instance=page, revision=revision)
    _note_published(page)


def _record_publication(page: ProcedurePage, user, source: str) -> None:
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
    data = {"source": source or "load_demo", "created": False}
    log(
        instance=page,
        action=IMPORT_ACTION,
        user=user,
        revision=revision,
        data=data,
        content_changed=True,
    )
    _published(page, revision)


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


def _add_relations(page: ProcedurePage, relations: dict[str, list]) -> None:
    """A new page's many-to-many rows, one insert a relation (modelcluster's commit would first
    read the rows a new page cannot have yet)."""
    for name, objects in relations.items():
        field = ProcedurePage._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        target_ids = dict.fromkeys(obj.pk for obj in objects)
        rows = [through(**{f"{source}_id": page.pk, f"{target}_id": pk}) for pk in target_ids]
        through.objects.bulk_create(rows)


def _assign(page: ProcedurePage, values: dict, data: ProcedureData, relations=True) -> None:
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
