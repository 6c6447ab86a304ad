"""Index management: the names of indices and aliases, and writing documents into them (a
province's first document creates its index; a rebuild fills new indices and switches every
alias in one atomic call)."""

import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from elasticsearch import ApiError, NotFoundError, TransportError
from elasticsearch.dsl import Q
from elasticsearch.helpers import BulkIndexError

from .document import ProcedureDocument, index_definition
from .results import response_body

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "thutuc"
BULK_SIZE = 500
ELASTICSEARCH_ERRORS = (ApiError, TransportError)  # TransportError covers connection and timeout


def province_key(province: str | None) -> str:
    """The province part of index and alias names (lower case, no characters ES refuses)."""
    key = re.sub(r"[^a-z0-9_-]+", "-", (province or "").lower()).strip("-_")
    return key or "none"


def alias_name(prefix: str, province: str | None = None) -> str:
    """The alias searches read: one province's, or every province's (the bare prefix)."""
    return f"{prefix}-{province_key(province)}" if province else prefix


def new_index_name(prefix: str, province: str | None, stamp: str) -> str:
    return f"{prefix}-{province_key(province)}-{stamp}"


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")


class IndexWriter:
    """The writing half of ElasticsearchBackend: it keeps `client`, `prefix` and `refresh`."""

    # --- names -------------------------------------------------------------------------------

    def province_alias(self, province: str | None) -> str:
        """The alias of one province's current index (also for documents without one)."""
        return f"{self.prefix}-{province_key(province)}"

    def _ours(self, alias: str) -> bool:
        return alias == self.prefix or alias.startswith(f"{self.prefix}-")

    def current_indices(self) -> dict[str, set[str]]:
        """Every index behind the all-provinces alias, with its aliases."""
        try:
            response = self.client.indices.get_alias(index=self.prefix)
        except NotFoundError:
            return {}
        return {
            index: {alias for alias in info.get("aliases", {}) if self._ours(alias)}
            for index, info in response_body(response).items()
        }

    def _create_index(self, name: str, aliases: dict | None = None) -> None:
        self.client.indices.create(index=name, **index_definition(name, aliases).to_dict())

    # --- writing -----------------------------------------------------------------------------

    def index(self, documents: Iterable[dict]) -> int:
        """Add or replace documents in their provinces' current indices (a province seen for
        the first time gets its index and aliases)."""
        documents = list(documents)
        if not documents:
            return 0
        current = self.current_indices()
        existing = set().union(*current.values()) if current else set()
        for province in sorted({d["province"] for d in documents}):
            alias = self.province_alias(province)
            if alias not in existing:
                existing.add(alias)
                self._create_index(
                    new_index_name(self.prefix, province, _stamp()),
                    {alias: {"is_write_index": True}, self.prefix: {}},
                )
        if current:
            self._remove_from_other_provinces(documents)
        count = 0
        for start in range(0, len(documents), BULK_SIZE):
            batch = documents[start : start + BULK_SIZE]
            count += self._bulk(
                [(self.province_alias(d["province"]), d) for d in batch], refresh=self.refresh
            )
        return count

    def _remove_from_other_provinces(self, documents: list[dict]) -> None:
        """A procedure moved to another province leaves no copy behind in the old one."""
        by_province: dict[str, list[int]] = {}
        for document in documents:
            by_province.setdefault(document["province"], []).append(document["id"])
        stale = [
            Q("bool", filter=[Q("terms", id=ids)], must_not=[Q("term", province=province)])
            for province, ids in by_province.items()
        ]
        self._delete_matching(Q("bool", should=stale, minimum_should_match=1), len(documents))

    def _delete_matching(self, query, at_most: int) -> None:
        """Delete the documents `query` finds (at most `at_most`, one per procedure) in every
        province: a search, then one bulk delete. (_delete_by_query is the reindex module's,
        which not every node has.)"""
        try:
            response = self.client.search(
                index=self.prefix,
                query=query.to_dict(),
                size=max(at_most, 1),
                source=False,
                ignore_unavailable=True,
                allow_no_indices=True,
            )
        except NotFoundError:
            return  # nothing indexed yet
        found = response_body(response).get("hits", {}).get("hits", [])
        if not found:
            return
        operations = [{"delete": {"_index": hit["_index"], "_id": hit["_id"]}} for hit in found]
        self.client.bulk(operations=operations, refresh=self.refresh)

    def _bulk(self, batch: list[tuple[str, dict]], refresh: bool | str = False) -> int:
        operations: list[dict] = []
        for index, document in batch:
            operations.append({"index": {"_index": index, "_id": str(document["id"])}})
            operations.append(ProcedureDocument.from_search_document(document).to_dict())
        body = response_body(self.client.bulk(operations=operations, refresh=refresh))
        if body.get("errors"):
            failed = [
                item
                for item in body.get("items", [])
                if any(isinstance(result, dict) and result.get("error") for result in item.values())
            ]
            raise BulkIndexError(f"{len(failed)} document(s) failed to index", failed)
        return len(batch)

    def remove(self, ids: Iterable[int]) -> None:
        ids = sorted({int(i) for i in ids})
        for start in range(0, len(ids), BULK_SIZE):
            batch = ids[start : start + BULK_SIZE]
            self._delete_matching(Q("terms", id=batch), len(batch))

    def rebuild(self, documents: Iterable[dict]) -> int:
        """Fill a new index per province, then switch every alias in one atomic call (readers
        see the old indices until then), then delete the old indices. Provinces absent from
        `documents` lose their alias and index. On failure the new indices are deleted and the
        aliases are left as they were."""
        stamp = _stamp()
        created: dict[str, str] = {}
        count = 0
        try:
            batch: list[tuple[str, dict]] = []
            for document in documents:
                key = province_key(document["province"])
                if key not in created:
                    created[key] = new_index_name(self.prefix, key, stamp)
                    self._create_index(created[key])
                batch.append((created[key], document))
                if len(batch) >= BULK_SIZE:
                    count += self._bulk(batch)
                    batch = []
            if batch:
                count += self._bulk(batch)
            if created:
                self.client.indices.refresh(index=",".join(created.values()))
            old = self.current_indices()
            actions = [
                {"remove": {"index": index, "alias": alias}}
                for index, aliases in sorted(old.items())
                for alias in sorted(aliases)
            ]
            for key, index in created.items():
                actions.append(
                    {
                        "add": {
                            "index": index,
                            "alias": self.province_alias(key),
                            "is_write_index": True,
                        }
                    }
                )
                actions.append({"add": {"index": index, "alias": self.prefix}})
            if actions:
                self.client.indices.update_aliases(actions=actions)
        except BaseException:
            self._delete_quietly(list(created.values()))
            raise
        stale = sorted(set(old) - set(created.values()))
        if stale:
            self.client.indices.delete(index=",".join(stale))
        return count

    def _delete_quietly(self, indices: list[str]) -> None:
        if not indices:
            return
        try:
            self.client.indices.delete(index=",".join(indices), ignore_unavailable=True)
        except ELASTICSEARCH_ERRORS:
            logger.exception("Could not delete the unfinished indices %s", indices)
