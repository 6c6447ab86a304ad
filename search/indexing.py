"""Keep every search backend in step with publishing: pages published, unpublished, moved or
deleted, and the procedures below a changed agency or province or citing a changed field
(search.signal_handlers), are (re)indexed once, in bulk, when their transaction commits.

A write Elasticsearch refuses or cannot take (down, too slow) is queued (PendingIndexWrite)
and replayed by the next write that succeeds, or made moot by rebuild_search_index."""

import logging
import threading

from django.db import transaction
from django.utils import timezone

from .backends import writing_backends
from .backends.base import SearchBackend
from .documents import documents_for_ids, documents_for_pages
from .models import PendingIndexWrite

logger = logging.getLogger(__name__)
_pending = threading.local()
BATCH = 500


def schedule(page_ids, removed: bool = False) -> None:
    """Index (or remove) these procedures after the current transaction commits."""
    page_ids = set(page_ids)
    if not transaction.get_connection().in_atomic_block:
        # No transaction to wait for (for example a signal Wagtail sends once its transaction
        # has committed, such as page_slug_changed): write now, leaving alone what a committed
        # transaction scheduled and its callback, still to run, will write.
        (remove_now if removed else index_now)(sorted(page_ids))
        return
    state = getattr(_pending, "state", None)
    fresh = state is None or not _flush_registered()
    if fresh:  # a rolled-back transaction drops its callbacks: start afresh
        state = _pending.state = {"index": set(), "remove": set()}
    key, other = ("remove", "index") if removed else ("index", "remove")
    state[key].update(page_ids)
    state[other].difference_update(page_ids)
    if fresh:
        transaction.on_commit(flush)


def _flush_registered() -> bool:
    return any(entry[1] is flush for entry in transaction.get_connection().run_on_commit)


def flush() -> None:
    state = getattr(_pending, "state", None)
    _pending.state = None
    if not state:
        return
    index_now(sorted(state["index"]))
    remove_now(sorted(state["remove"]))


def index_pages(pages) -> None:
    """Index procedures already read (catalog.publishing's bulk read, shared): those public are
    written now and dropped from what the committed transaction's flush has left to index."""
    documents = documents_for_pages(pages)
    _write(documents, gone=set())
    state = getattr(_pending, "state", None)
    if state:
        state["index"].difference_update(d["id"] for d in documents)


def index_now(page_ids: list[int]) -> None:
    """Index these procedures' current public documents; unpublished ones are removed."""
    for start in range(0, len(page_ids), BATCH):
        batch = page_ids[start : start + BATCH]
        documents = documents_for_ids(batch)
        _write(documents, gone=set(batch) - {d["id"] for d in documents})


def _write(documents: list[dict], gone: set[int]) -> None:
    for backend in writing_backends():
        if backend.name == "database":
            backend.index(documents)
            if gone:
                backend.remove(gone)
            continue
        ids = {d["id"] for d in documents}
        _write_or_queue(backend, lambda b=backend: _write_to(b, documents, gone), ids, gone)


def remove_now(page_ids: list[int]) -> None:
    if not page_ids:
        return
    for backend in writing_backends():
        if backend.name == "database":
            backend.remove(page_ids)
        else:
            _write_or_queue(backend, lambda b=backend: b.remove(page_ids), set(), set(page_ids))


def _write_to(backend: SearchBackend, documents: list[dict], gone: set[int]) -> None:
    backend.index(documents)
    if gone:
        backend.remove(gone)


def _write_or_queue(backend: SearchBackend, write, indexed: set[int], gone: set[int]) -> None:
    """Write to Elasticsearch; when it fails, queue the procedures (PendingIndexWrite) rather
    than lose them: an unreachable cluster must not undo the editor's publication, and the
    database backend answers meanwhile. A write that succeeds replays what is queued."""
    try:
        write()
    except Exception:
        logger.exception("Could not update the %s search index", backend.name)
        queue(indexed, gone)
        return
    if PendingIndexWrite.objects.exists():
        try:
            replay_pending(backend)
        except Exception:
            logger.exception("Could not replay the writes queued for %s", backend.name)


def queue(indexed: set[int], gone: set[int]) -> None:
    """Remember these procedures as waiting (their latest state is written on replay)."""
    now = timezone.now()
    rows = [
        PendingIndexWrite(procedure_id=procedure_id, removed=procedure_id in gone, queued_at=now)
        for procedure_id in sorted(indexed | gone)
    ]
    PendingIndexWrite.objects.bulk_create(  # one statement; a row already there is renewed
        rows,
        update_conflicts=True,
        unique_fields=["procedure_id"],
        update_fields=["removed", "queued_at"],
    )
    logger.error(
        "%d procedure(s) wait to be written to the Elasticsearch index "
        "(search.PendingIndexWrite; replayed by the next write or rebuild_search_index)",
        PendingIndexWrite.objects.count(),
    )


def replay_pending(backend: SearchBackend) -> int:
    """Write the latest state of every queued procedure (indexed if public, else removed) and
    forget those written; returns how many. A failure leaves them queued, and raises."""
    started = timezone.now()
    ids = sorted(PendingIndexWrite.objects.values_list("procedure_id", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        documents = documents_for_ids(batch)
        _write_to(backend, documents, set(batch) - {d["id"] for d in documents})
    # What a concurrent failure queued again after the replay began stays queued.
    PendingIndexWrite.objects.filter(procedure_id__in=ids, queued_at__lt=started).delete()
    return len(ids)


def forget_pending(before) -> int:
    """A rebuild wrote every procedure's latest state: what was queued before it is done."""
    return PendingIndexWrite.objects.filter(queued_at__lt=before).delete()[0]


def pending_count() -> int:
    return PendingIndexWrite.objects.count()
