"""The feed's records, kept built in a cache of their own (the "records" alias).

Building a record is most of what a 500-record page costs (loading wide translated pages and
reading their StreamFields). Every change a record shows writes the change log first
(catalog.changes), in the transaction that makes it, so a procedure's latest change id is the
version of its record: a new change means a new key, and nothing ever needs purging. The key
also holds what the record depends on besides the page: the language, the host its links are
built for, and the date (a roadmap target's status is read against today).
"""

from collections.abc import Iterable

from django.core.cache import caches
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone, translation

from .models import ProcedureChange
from .records import procedure_record, public_procedures

CACHE_ALIAS = "records"
# Bump when procedure_record() changes what it returns: the records kept before then are not read.
RECORD_FORMAT = 1


def cached_records(page_ids: Iterable[int], request: HttpRequest | None = None) -> dict[int, dict]:
    """The public records of these procedures by page id, read from the cache where they are
    and built (then kept) where not. A procedure no longer public is left out."""
    ids = list(page_ids)
    versions = _latest_changes(ids)
    keys = {page_id: _key(page_id, versions[page_id], request) for page_id in versions}
    cache = caches[CACHE_ALIAS]
    found = cache.get_many(keys.values()) if keys else {}
    records = {page_id: found[key] for page_id, key in keys.items() if key in found}
    built = _build([page_id for page_id in ids if page_id not in records], request)
    cache.set_many({keys[page_id]: record for page_id, record in built.items() if page_id in keys})
    records.update(built)
    return records


def _latest_changes(page_ids: list[int]) -> dict[int, int]:
    changes = ProcedureChange.objects.filter(page_id__in=page_ids).values("page_id")
    return dict(changes.annotate(latest=Max("id")).values_list("page_id", "latest"))


def _key(page_id: int, version: int, request: HttpRequest | None) -> str:
    host = f"{request.scheme}://{request.get_host()}" if request is not None else "site"
    language = translation.get_language() or "vi"
    day = timezone.localdate().isoformat()
    return f"record:{RECORD_FORMAT}:{language}:{host}:{day}:{page_id}:{version}"


def _build(page_ids: list[int], request: HttpRequest | None) -> dict[int, dict]:
    if not page_ids:
        return {}
    pages = public_procedures().filter(pk__in=page_ids)
    return {page.pk: procedure_record(page, request=request) for page in pages}
