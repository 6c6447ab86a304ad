"""Publishing catalogue pages: through Wagtail, or in bulk leaving exactly what Wagtail leaves.

`create_page` and `publish_page` are Wagtail's own way (`add_child`, then
`page.save_revision(user=…).publish()`), for the few pages an import or the demo touches one at
a time (the home page, provinces, agencies). `BulkPublisher` writes thousands of procedures the
same way at a fraction of the cost: the same revision, the same history entries, the same
signals, and the search and reference indexes written in bulk once the transaction commits.
This module is the only one of the project that touches Wagtail's internals (tree paths, revision
rows, history entries, the reference index); tests/catalog/test_publishing.py compares, field by
field, a page written each way.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.dispatch import Signal
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler as modelsearch_post_save
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published, published

from . import changes

IMPORT_ACTION = "catalog.import"
# Sent after Wagtail's indexes were written for a batch of pages published in bulk, with those
# pages (procedures: read with everything their public record reads), once committed.
pages_indexed = Signal()
HISTORY_BATCH = 500
INDEX_BATCH = 500
# A new page's state when create_page saves its first revision (before publishing it).
DRAFT_STATE = {
    "live": False,
    "has_unpublished_changes": False,
    "first_published_at": None,
    "last_published_at": None,
    "latest_revision_created_at": None,
    "latest_revision": None,
    "live_revision": None,
}


def create_page(parent: Page, page: Page, user=None, source: str = "") -> Revision:
    """Add `page` under `parent` as a draft, then publish it, as Wagtail's create view does."""
    page.live, page.owner = False, user
    parent.add_child(instance=page)
    return publish_page(page, user=user, source=source, created=True)


def publish_page(page: Page, user=None, source: str = "", created: bool = False) -> Revision:
    """A new revision of the page as it is now, published (publishing validates the page).

    With `source`, the history also names where the change came from (an import file)."""
    revision = page.save_revision(user=user, clean=False)
    if source:
        data = {"source": source, "created": created}
        log(instance=page, action=IMPORT_ACTION, user=user, revision=revision, data=data)
    revision.publish(user=user)
    page.refresh_from_db()  # publishing saved a copy of the page rebuilt from the revision
    return revision


class BulkPublisher:
    """Creates and publishes many pages inside the caller's transaction.

    Each page gets what `create_page`/`publish_page` give it, written with fewer queries: one
    insert for the page at the next tree path (remembered across the run), one revision, the
    history entries written a batch at a time, page_published sent. Wagtail's search and
    reference indexes are paused meanwhile and written in bulk once the transaction commits
    (nothing is indexed when it rolls back). Use it as a context manager."""

    def __init__(self, user=None, source: str = ""):
        self.user, self.source = user, source
        self.last_paths: dict[int, str] = {}
        self.sibling_slugs: dict[int, set[str]] = {}
        self.history: list[PageLogEntry] = []
        self.changed: dict[type, set[int]] = defaultdict(set)
        self._paused: list[type] = []
        self._finished = False
        self._references = disable_reference_index_auto_update()
        # The run's page_published signals note procedures; the change log is written once,
        # in batches, when the run ends without an error.
        self._change_log = changes.deferred()

    def __enter__(self) -> "BulkPublisher":
        from .models import AgencyPage, ProcedurePage

        self._paused = [
            model
            for model in (ProcedurePage, AgencyPage)
            if post_save.disconnect(modelsearch_post_save, sender=model)
        ]
        self._references.__enter__()
        self._change_log.__enter__()
        # Registered before the callbacks the run's signals add (search.indexing's), so that
        # these see the pages already indexed from the one read they share (pages_indexed).
        self._on_commit = transaction.get_connection().in_atomic_block
        if self._on_commit:
            transaction.on_commit(self._index)
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self._references.__exit__(*exc_info)
            self._change_log.__exit__(*exc_info)
            if exc_info[0] is None:
                self._write_history()
        finally:
            for model in self._paused:
                post_save.connect(modelsearch_post_save, sender=model)
        self._finished = exc_info[0] is None
        if not self._on_commit:
            self._index()

    def _index(self) -> None:
        """Once committed (nothing is indexed when the run failed or rolled back)."""
        if self._finished and self.changed:
            index_in_bulk({model: sorted(ids) for model, ids in self.changed.items()})

    def create_page(self, parent: Page, page: Page) -> None:
        """A page of its own (a province, an agency) created the normal way, indexed in bulk."""
        create_page(parent, page, user=self.user, source=self.source)
        self.changed[type(page)].add(page.pk)

    def publish_page(self, page: Page) -> None:
        publish_page(page, user=self.user, source=self.source)
        self.changed[type(page)].add(page.pk)

    def insert(self, parent: Page, page: Page) -> None:
        """Insert a new page, already validated and with its values set, under `parent`; the
        caller adds what else belongs to it (its many-to-many rows), then calls publish_new."""
        _mark_live(page)
        page.owner = self.user
        page.slug = self.free_slug(parent, page.slug)
        held = dict(getattr(page, "_cluster_related_objects", {}))  # saved with the page
        self._insert_child(parent, page)
        # A new page's relations are what it held: kept in memory (the others empty), its
        # revision is serialised without a query per relation.
        for name in _relation_names(type(page)):
            setattr(page, name, held.get(name, []))
        self._log(page, "wagtail.create", user=self.user or page.owner, content_changed=True)

    def publish_new(self, page: Page) -> None:
        # The revision holds the page as save_revision saw it in create_page: a draft.
        self._publish(page, {**page.serializable_data(), **DRAFT_STATE}, created=True)

    def update(self, page: Page, old_title: str) -> None:
        """Save a changed live page (validating it) and publish it. Pages that Wagtail publishes
        with more to do (a go-live date, a workflow in progress, aliases) go through Wagtail."""
        if _needs_wagtail(page):
            page.full_clean()  # as page.save() below; Wagtail's publish may not save at once
            self.publish_page(page)
            return
        content = page.serializable_data()  # as save_revision sees it: before publishing
        _mark_live(page)
        page.save()  # validates the whole page first
        # Wagtail names a rename when the page had an earlier revision with another title.
        renamed = page.latest_revision_id is not None and old_title != str(page)
        self._publish(page, content, created=False, old_title=old_title if renamed else None)

    def free_slug(self, parent: Page, slug: str) -> str:
        """The slug, or the slug with -2, -3… when a page under `parent` has it already, as the
        page's URL must be its own (Wagtail's editor refuses a taken slug; an import cannot ask).
        The slugs under each parent are read once a run and remembered."""
        taken = self.sibling_slugs.get(parent.pk)
        if taken is None:
            children = Page.objects.child_of(parent).values_list("slug", flat=True)
            taken = self.sibling_slugs[parent.pk] = set(children)
        candidate, number = slug, 1
        while candidate in taken:
            number += 1
            suffix = f"-{number}"
            candidate = slug[: Page._meta.get_field("slug").max_length - len(suffix)] + suffix
        taken.add(candidate)
        return candidate

    def _publish(self, page: Page, content: dict, created: bool, old_title=None) -> None:
        """What Revision.publish leaves, for a page already saved live."""
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            user=self.user,
            content=content,
            object_str=str(page),
        )
        page.latest_revision = page.live_revision = revision
        page.latest_revision_created_at = revision.created_at
        Page.objects.filter(pk=page.pk).update(
            latest_revision=revision,
            live_revision=revision,
            latest_revision_created_at=revision.created_at,
        )
        if self.source:
            import_data = {"source": self.source, "created": created}
            self._log(page, IMPORT_ACTION, revision=revision, data=import_data)
        data = {"title": {"old": old_title, "new": str(page)}} if old_title else None
        if data:
            self._log(page, "wagtail.rename", revision=revision, data=data)
        self._log(page, "wagtail.publish", revision=revision, data=data, content_changed=True)
        page_published.send(sender=type(page), instance=page, revision=revision)
        published.send(sender=type(page), instance=page, revision=revision)
        self.changed[type(page)].add(page.pk)

    def _log(self, page: Page, action: str, user=None, revision=None, data=None, **kwargs):
        """A history entry as wagtail.log_actions.log writes it, kept for one bulk insert."""
        if len(self.history) >= HISTORY_BATCH:  # keep memory flat on very large imports
            self._write_history()
        self.history.append(
            PageLogEntry(
                content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
                label=str(page),
                action=action,
                timestamp=timezone.now(),
                data=data or {},
                user=user or self.user or get_active_log_context().user,
                page_id=page.pk,
                revision=revision,
                uuid=get_active_log_context().uuid,
                **kwargs,
            )
        )

    def _write_history(self) -> None:
        PageLogEntry.objects.bulk_create(self.history)
        self.history.clear()

    def _insert_child(self, parent: Page, page: Page) -> None:
        """treebeard's add_child for a page already validated: the next path under the parent
        (remembered across the run), one insert, the parent's child count."""
        last = self.last_paths.get(parent.pk)
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
        page.save(clean=False, log_action=None)  # the history entry is written in bulk
        with connection.cursor() as cursor:  # the ORM's update costs more to build than to run
            cursor.execute(
                "UPDATE wagtailcore_page SET numchild = numchild + 1 WHERE id = %s", [parent.pk]
            )
        parent.numchild += 1
        self.last_paths[parent.pk] = page.path


def _mark_live(page: Page) -> None:
    """The state Revision.publish gives a page going live now."""
    now = timezone.now()
    page.live, page.has_unpublished_changes, page.expired = True, False, False
    page.first_published_at = page.first_published_at or now
    page.last_published_at = now
    page.draft_title = page.title


def _relation_names(model: type) -> list[str]:
    """modelcluster's child relations and many-to-many fields of a page model."""
    children = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
    return children + [field.name for field in get_all_child_m2m_relations(model)]


def _needs_wagtail(page: Page) -> bool:
    """A scheduled go-live, a workflow to cancel or aliases to update: Wagtail's publish does
    more for these than the bulk path writes."""
    if page.go_live_at:
        return True
    return page.workflow_in_progress or Page.objects.filter(alias_of=page).exists()


def index_in_bulk(changed: dict[type, list[int]]) -> None:
    """Wagtail's search and reference indexes for pages published in bulk, a batch at a time;
    each batch is then sent (pages_indexed) to the other indexes that read the same pages."""
    for model, page_ids in changed.items():
        pages = _pages_to_index(model)
        for start in range(0, len(page_ids), INDEX_BATCH):
            batch = list(pages.filter(pk__in=page_ids[start : start + INDEX_BATCH]))
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(model, batch)
            with transaction.atomic():
                index_references(batch)
            pages_indexed.send(sender=model, pages=batch)


def _pages_to_index(model: type) -> QuerySet:
    """The pages as the reference index reads them (every child relation: one query each) and,
    for procedures, as their public record reads them, so that search builds on the same read."""
    from .models import ProcedurePage
    from .records import public_procedures

    if model is ProcedurePage:
        pages = public_procedures(include_drafts=True)
    else:
        pages = model.objects.all()
    read = {getattr(lookup, "prefetch_to", lookup) for lookup in pages._prefetch_related_lookups}
    children = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
    return pages.prefetch_related(*(name for name in children if name not in read))


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
