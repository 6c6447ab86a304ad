"""Keep every search backend in step with publishing: pages published, unpublished, moved or
deleted, and the procedures below a changed agency or province or citing a changed field
(search.signal_handlers), are (re)indexed once, in bulk, when their transaction commits."""

import logging
import threading

from django.db import transaction

from .backends import writing_backends
from .documents import documents_for_ids, documents_for_pages

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
        try:
            backend.index(documents)
            if gone:
                backend.remove(gone)
        except Exception:
            # An unreachable Elasticsearch must not undo the editor's publication; the
            # database backend keeps answering and rebuild_search_index catches up.
            if backend.name == "database":
                raise
            logger.exception("Could not update the %s search index", backend.name)


def remove_now(page_ids: list[int]) -> None:
    if not page_ids:
        return
    for backend in writing_backends():
        try:
            backend.remove(page_ids)
        except Exception:
            if backend.name == "database":
                raise
            logger.exception("Could not update the %s search index", backend.name)
