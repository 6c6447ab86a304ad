"""Writing the change log (catalog.models.ProcedureChange) as the public catalogue changes.

Publishing says which procedures may have changed (catalog.signal_handlers); `note()` compares
each with how it was last announced (PublishedProcedure) and writes what a portal must do to
stay an exact mirror: `created` for a procedure new to the public catalogue, `updated` or
`abolished` for one it holds, `deleted` (a tombstone under its old province and code) for one
that left it or changed identity, followed by `created` under the new one.

The changes are written in the transaction that makes them, so a change and its log entry are
committed together or not at all. On PostgreSQL a transaction-scoped advisory lock makes the
writers of the log take their ids in commit order: a portal that has read up to id N never
sees a change with a smaller id appear later. SQLite writes one transaction at a time already.
"""

import contextlib
import contextvars
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone, translation

from .models import ChangeKind, ProcedureChange, ProcedurePage, PublishedProcedure, Status

BATCH = 500
# Any number of this installation's: it names the lock in PostgreSQL's advisory lock space.
CHANGE_LOG_LOCK = 0x74687574  # "thut"

# Sent with the changes just written, inside their transaction (webhooks queue on commit).
changes_logged = Signal()

_deferred: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "catalog_changes_deferred", default=None
)


def note(page_ids: Iterable[int]) -> None:
    """These procedures may have changed: log what did (now, or when deferred() ends)."""
    pending = _deferred.get()
    if pending is not None:
        pending.update(page_ids)
        return
    ids = sorted(set(page_ids))
    for start in range(0, len(ids), BATCH):
        record_changes(ids[start : start + BATCH])


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Collect the procedures noted inside the block and log them in batches at its end (the
    importer publishes thousands of pages in one transaction)."""
    if _deferred.get() is not None:  # already collecting: the outer block logs
        yield
        return
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    note(pending)


def record_changes(page_ids: list[int]) -> list[ProcedureChange]:
    """Compare these pages with their last announcement and write the changes."""
    with transaction.atomic():
        _lock_change_log()
        known = {p.page_id: p for p in PublishedProcedure.objects.filter(page_id__in=page_ids)}
        public = {page.pk: _identity(page) for page in _public_pages(page_ids)}
        now = timezone.now()
        changes: list[ProcedureChange] = []
        for page_id in page_ids:
            changes += _changes_of(known.get(page_id), public.get(page_id), page_id, now)
        ProcedureChange.objects.bulk_create(changes)
        _remember(known, public)
    if changes:
        changes_logged.send(sender=ProcedureChange, changes=changes)
    recoded = [pk for pk in public if pk in known and known[pk].code != public[pk]["code"]]
    if recoded:
        note(procedures_citing(recoded))  # their records name the old code as successor, related
    return changes


def procedures_citing(page_ids: Iterable[int]) -> list[int]:
    """The procedures whose records name these by code: as their successor or as related."""
    citing = ProcedurePage.objects.filter(
        Q(successor__in=page_ids) | Q(related_procedures__in=page_ids)
    ).exclude(pk__in=page_ids)
    return list(citing.values_list("pk", flat=True).distinct())


def _public_pages(page_ids: list[int]) -> list[ProcedurePage]:
    """The pages of the public catalogue, as the feed defines it (catalog.records)."""
    pages = ProcedurePage.objects.live().public().filter(pk__in=page_ids)
    return list(pages.select_related("province", "agency"))


def _identity(page: ProcedurePage) -> dict:
    with translation.override("vi"):
        title = page.official_title
    return {
        "province": page.province.code if page.province else "",
        "code": page.code,
        "agency": page.agency.code if page.agency else "",
        "status": page.status,
        "title": title,
    }


def _changes_of(
    known: PublishedProcedure | None, current: dict | None, page_id: int, now
) -> list[ProcedureChange]:
    if known is None:
        return [_change(ChangeKind.CREATED, page_id, current, now)] if current else []
    gone = _tombstone(known, now)
    if current is None:
        return [gone]
    if (known.province, known.code) != (current["province"], current["code"]):
        return [gone, _change(ChangeKind.CREATED, page_id, current, now)]
    abolished = current["status"] == Status.ABOLISHED and known.status != Status.ABOLISHED
    kind = ChangeKind.ABOLISHED if abolished else ChangeKind.UPDATED
    previous_agency = known.agency if known.agency != current["agency"] else ""
    return [_change(kind, page_id, current, now, previous_agency=previous_agency)]


def _change(kind: str, page_id: int, identity: dict, now, previous_agency: str = ""):
    return ProcedureChange(
        kind=kind,
        at=now,
        page_id=page_id,
        province=identity["province"],
        code=identity["code"],
        agency=identity["agency"],
        previous_agency=previous_agency,
        title=identity["title"],
    )


def _tombstone(known: PublishedProcedure, now) -> ProcedureChange:
    return ProcedureChange(
        kind=ChangeKind.DELETED,
        at=now,
        page_id=known.page_id,
        province=known.province,
        code=known.code,
        agency=known.agency,
        title=known.title,
    )


def _remember(known: dict[int, PublishedProcedure], public: dict[int, dict]) -> None:
    """The announcement table now says what the log said last."""
    PublishedProcedure.objects.filter(page_id__in=set(known) - set(public)).delete()
    rows = [PublishedProcedure(page_id=pk, **identity) for pk, identity in public.items()]
    PublishedProcedure.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["page_id"],
        update_fields=["province", "code", "agency", "status", "title"],
    )


def _lock_change_log() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHANGE_LOG_LOCK])
