"""The database backend's filters, facets and standing, answered from memory.

A broad search ("sổ đỏ" folds to two of the commonest words) matches most of the catalogue, and
reading a row per match from the database to filter, count facets and pick the best took longer
than the whole rest of the search. Each process keeps instead one small row per indexed
procedure (province, status, agency, field, level, tiers, standing: a few megabytes at 100,000
procedures) and the engine is asked for ids only. The copy is read again whenever the index
changes (IndexVersion).
"""

import heapq
import threading
from collections import Counter
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from itertools import islice

from django.db.models.functions import Length

from ..models import IndexVersion, SearchEntry
from ..ranking import MAX_POPULARITY
from .base import FACETS, STATUS_ALL, FacetValue, SearchQuery, facet_label

# Filter results kept per process: at most this many ids in all (about 20 MiB), as each
# combination of filters can let most of the catalogue through.
MAX_CACHED_IDS = 500_000
MAX_ENTRIES = 10_000_000  # room for the code order in a standing

# What a facet counts, per procedure: one shared tuple per distinct combination, so that
# counting thousands of matches is one Counter over few distinct keys.
FacetKey = tuple[str, str, int, str]  # agency code, field code, level, tiers (" a b ")


@dataclass
class EntryTable:
    token: str
    keys: dict[int, FacetKey] = field(default_factory=dict)
    filters: dict[int, tuple[str, str]] = field(default_factory=dict)  # province, status
    # Lower is better: more popular, then shorter title, then code (the order ranking breaks
    # ties in), so that a deeper page's candidates include a shallower page's.
    standing: dict[int, int] = field(default_factory=dict)
    agency_names: dict[str, str] = field(default_factory=dict)
    field_names: dict[str, str] = field(default_factory=dict)
    _allowed: dict[tuple, frozenset[int]] = field(default_factory=dict)
    _by_standing: list[int] | None = None

    @classmethod
    def load(cls, token: str) -> "EntryTable":
        table = cls(token)
        shared: dict = {}
        rows = SearchEntry.objects.annotate(title_length=Length("title")).values_list(
            "procedure_id", "province", "status", "agency_code", "agency_name", "field_code",
            "field_name", "level", "tiers", "popularity", "title_length",
        ).order_by("code", "procedure_id")  # fmt: skip
        for code_order, row in enumerate(rows.iterator(chunk_size=5000)):
            pk, province, status, agency, agency_name, field_code, field_name = row[:7]
            level, tiers, popularity, title_length = row[7:]
            key = (agency, field_code, level, tiers)
            table.keys[pk] = shared.setdefault(key, key)
            scope = (province, status)
            table.filters[pk] = shared.setdefault(scope, scope)
            table.agency_names[agency] = agency_name
            table.field_names[field_code] = field_name
            unpopular = MAX_POPULARITY - min(popularity, MAX_POPULARITY)
            by_title = unpopular * 100_000 + min(title_length, 99_999)
            table.standing[pk] = by_title * MAX_ENTRIES + code_order
        return table

    def allowed(self, query: SearchQuery) -> frozenset[int]:
        """The ids a query's filters (province, status, agency, field, tier, level) let through,
        remembered per combination of filters."""
        wanted = (query.province, query.status, query.agency, query.field, query.tier)
        wanted += (query.level,)
        ids = self._allowed.get(wanted)
        if ids is None:
            ids = frozenset(self._filter(query))
            if sum(map(len, self._allowed.values())) + len(ids) > MAX_CACHED_IDS:
                self._allowed.clear()
            self._allowed[wanted] = ids
        return ids

    def _filter(self, query: SearchQuery) -> Iterable[int]:
        agency = (query.agency or "").lower()
        tier = f" {query.tier} " if query.tier else ""
        for pk, (province, status) in self.filters.items():
            if query.status != STATUS_ALL and status != query.status:
                continue
            if query.province and province != query.province:
                continue
            agency_code, field_code, level, tiers = self.keys[pk]
            if agency and agency_code.lower() != agency:
                continue
            if query.field and field_code != query.field:
                continue
            if tier and tier not in tiers:
                continue
            if query.level and level != int(query.level):
                continue
            yield pk

    def best(self, ids: Set[int], limit: int) -> list[int]:
        """The `limit` ids that stand highest: where a way of matching finds more procedures
        than are worth ranking, the ones most likely to come first."""
        if limit <= 0 or not ids:
            return []
        if len(ids) * 16 < len(self.standing):
            return heapq.nsmallest(limit, ids, key=self.standing.__getitem__)
        # Many ids: walking the whole table in standing order finds them soonest.
        return list(islice((pk for pk in self.by_standing() if pk in ids), limit))

    def by_standing(self) -> list[int]:
        if self._by_standing is None:
            self._by_standing = sorted(self.standing, key=self.standing.__getitem__)
        return self._by_standing

    def facets(self, ids: Iterable[int]) -> dict[str, list[FacetValue]]:
        """Counts by agency, field, tier and level over these procedures."""
        counts = {facet: Counter() for facet in FACETS}
        for (agency, field_code, level, tiers), n in Counter(map(self.keys.get, ids)).items():
            counts["agency"][agency] += n
            counts["field"][field_code] += n
            counts["level"][level] += n
            for tier in tiers.split():
                counts["tier"][tier] += n
        names = {"agency": self.agency_names, "field": self.field_names}
        return {
            facet: sorted(
                (
                    FacetValue(
                        str(value), facet_label(facet, value, names.get(facet, {}).get(value)), n
                    )
                    for value, n in counts[facet].items()
                    if value not in ("", None)
                ),
                key=lambda f: (-f.count, f.label),
            )
            for facet in FACETS
        }


_current: EntryTable | None = None
_loading = threading.Lock()


def entry_table() -> EntryTable:
    """This process's copy, read again when another write has changed the index."""
    global _current
    token = IndexVersion.current()
    table = _current
    if table is not None and table.token == token:
        return table
    with _loading:
        if _current is None or _current.token != token:
            _current = EntryTable.load(token)
        return _current
