"""The ways of matching a query: by code, and what the engine matched by each way, within the
query's filters (Candidates); the corrected query to suggest; the editors' synonyms."""

from collections import Counter
from collections.abc import Iterable

from ... import text
from ...models import SearchEntry, SearchTerm, Synonym
from ..base import SearchQuery
from ..entry_table import EntryTable
from .engines import engine, usable


def code_ids(code: str) -> list[int]:
    """Procedures whose code starts with the one typed (in every province)."""
    return list(SearchEntry.objects.filter(code__istartswith=code).values_list("pk", flat=True))


def did_you_mean(parsed, corrections: dict[str, str]) -> str | None:
    """The query with its typos corrected (the corrections the candidate search made)."""
    if not corrections:
        return None
    return " ".join(corrections.get(w, w) for w in parsed.words_folded)


def unknown_words(words: list[str]) -> set[str]:
    """The words of a query the index does not know, likely typos: three letters or more, not a
    number, and not the last word while it is the start of a known one (still being typed)."""
    known = set(SearchTerm.objects.filter(term__in=words).values_list("term", flat=True))
    unknown = set()
    for index, word in enumerate(words):
        if word in known or len(word) < 3 or word.isdigit():
            continue
        if index == len(words) - 1 and SearchTerm.objects.filter(term__startswith=word).exists():
            continue
        unknown.add(word)
    return unknown


def editor_synonyms() -> list[tuple[str, list[str]]]:
    return [(s.term, s.expansion_list()) for s in Synonym.objects.filter(is_active=True)]


class Candidates:
    """What the engine matched, by way of matching, within the query's filters: every id, for
    the count and facets, and the ids worth ranking, `depth` of them at least."""

    def __init__(self, table: EntryTable, query: SearchQuery, parsed, depth: int):
        self.table = table
        self.allowed = table.allowed(query)
        self.words = parsed.words_folded
        self.depth = depth
        self.ids: set[int] = set()
        self.to_rank: set[int] = set()
        self.by_way: dict[str, set[int]] = {}
        self.corrections: dict[str, str] = {}
        self.any_words = query.any_words
        self.words_held: Counter = Counter()  # the second pass: how many words each holds
        self._pairs_in_title: Counter | None = None

    def add(self, match, way: str) -> None:
        """A way of matching adds all its matches to those ranked when they are few, else the
        `depth` most likely to rank first (see `likeliest`). Words split over title and
        keywords, and words anywhere, only fill up to `depth`: every earlier way's matches
        outrank them."""
        if match is None:
            return
        ids = self.allowed.intersection(engine().ids(match))
        self._record(way, ids)
        if way in FILLING_WAYS and len(self.to_rank) >= self.depth:
            return
        if len(ids) <= self.depth:
            self.to_rank |= ids
        else:
            self.to_rank.update(self.likeliest(ids, self.depth))

    def add_found(self, way: str, ids: Iterable[int]) -> None:
        """A way matched without the engine (codes): all counted, the `depth` that stand
        highest ranked (they share a tier)."""
        allowed = self.allowed.intersection(ids)
        self._record(way, allowed)
        self.to_rank.update(self.table.best(allowed, self.depth))

    def add_word(self, match) -> None:
        """The second pass: one word's matches, counted; those ranked are the `depth` that
        hold most words, then stand highest."""
        if match is None:
            return
        ids = self.allowed.intersection(engine().ids(match))
        self._record("any_words", ids)
        self.words_held.update(ids)
        by_count: dict[int, set[int]] = {}
        for pk, count in self.words_held.items():
            by_count.setdefault(count, set()).add(pk)
        chosen: list[int] = []
        for count in sorted(by_count, reverse=True):
            chosen += self.table.best(by_count[count], self.depth - len(chosen))
        self.to_rank = set(chosen)

    def likeliest(self, ids: set[int], limit: int) -> list[int]:
        """Of one way's matches (one tier), those whose titles hold most of the query's word
        pairs (the largest bonus), then those that stand highest (most popular, shortest
        title, by code)."""
        pairs = self.pairs_in_title()
        by_level: dict[int, set[int]] = {}
        for pk in pairs.keys() & ids:
            by_level.setdefault(pairs[pk], set()).add(pk)
        chosen: list[int] = []
        for level in sorted(by_level, reverse=True):
            chosen += self.table.best(by_level[level], limit - len(chosen))
        return chosen + self.table.best(ids - pairs.keys(), limit - len(chosen))

    def pairs_in_title(self) -> Counter:
        """How many of the query's adjacent word pairs each title holds (asked only when some
        way has more matches than are ranked)."""
        if self._pairs_in_title is None:
            pairs = usable(pair.split() for pair in text.shingles(self.words))
            self._pairs_in_title = engine().phrases_in_title(pairs) if pairs else Counter()
        return self._pairs_in_title

    def _record(self, way: str, ids: set[int]) -> None:
        self.ids |= ids
        self.by_way.setdefault(way, set()).update(ids)

    def matched(self, entry_id: int, way: str) -> bool:
        return entry_id in self.by_way.get(way, ())


FILLING_WAYS = ("split", "all_words")
