"""The embedded search backend: the SearchEntry shadow table, with SQLite FTS5 or PostgreSQL
full-text (and trigram similarity) over its pre-folded columns.

The engine gives ids only, for each way of matching (the words as typed and the synonym phrases
as phrases in the title or the keywords; all words in the title, in the keywords, in the two
together, anywhere; corrected words); filters, facets and which of many matches are worth
ranking are answered from memory (entry_table); ranking happens here, in tiers (see `rank`),
the same on both databases.
"""

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction

from .. import text
from ..models import IndexVersion, SearchEntry, SearchTerm
from ..synonyms import expand
from .base import (
    MAX_PAGED_RESULTS,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResults,
    Suggestion,
)
from .entry_table import MAX_POPULARITY, EntryTable, entry_table

RANK_LIMIT = 100  # matches ranked per way of matching (more when a deep page asks for them)
MAX_CORRECTION_TRIES = 8

# Ranking tiers: a result's score is its best tier plus small bonuses that never cross tiers.
CODE = 1_000_000
ACCENTED_PHRASE = 500_000
SYNONYM_PHRASE = 300_000
TITLE_ALL_WORDS = 200_000
KEYWORDS_ALL_WORDS = 150_000
ALL_WORDS = 100_000
FUZZY = 50_000
SHINGLE = 5_000
ACCENTED_WORD = 2_000
WORD_IN_TITLE = 500


def folded_words(value: str) -> str:
    """Folded text as plain words: what both engines tokenise the same way (PostgreSQL's
    parser would otherwise read "<b>" or an e-mail address as one special token)."""
    return " ".join(FOLDED_WORD.findall(text.fold(value)))


FOLDED_WORD = re.compile(r"[a-z0-9]+(?:\.[a-z0-9]+)*")


def entry_values(document: dict) -> dict:
    """The shadow columns of one search document (search.documents.document_for)."""
    keywords = [*document["keywords"], *document["keywords_en"]]
    title_parts = [document["title"], document["title_en"]]
    return {
        "province": document["province"],
        "code": document["code"],
        "status": document["status"],
        "level": document["level"],
        "tiers": " " + " ".join(document["tiers"]) + " ",
        "agency_code": document["agency_code"],
        "agency_name": document["agency_name"],
        "field_code": document["field_code"],
        "field_name": document["field_name"],
        "url": document["url"],
        "title": document["title"],
        "title_en": document["title_en"],
        "exact_title": text.normalise(" ".join(filter(None, title_parts))),
        "exact_keywords": text.normalise(" ; ".join(keywords)),
        "folded_title": folded_words(" ".join(filter(None, title_parts))),
        "folded_keywords": folded_words(" ; ".join(keywords)),
        "folded_meta": folded_words(f"{document['agency_name']} ; {document['field_name']}"),
        "folded_body": folded_words(document["body"]),
        "body": document["body"],
        "popularity": document["popularity"],
    }


class DatabaseBackend(SearchBackend):
    name = "database"

    # --- writing ---------------------------------------------------------------------------

    def index(self, documents: Iterable[dict], batch_size: int = 500) -> int:
        count, batch = 0, []
        with transaction.atomic():
            for document in documents:
                batch.append(document)
                if len(batch) >= batch_size:
                    count += self._index_batch(batch)
                    batch = []
            count += self._index_batch(batch)
            IndexVersion.replace()
        return count

    def _index_batch(self, documents: list[dict]) -> int:
        """Replace the entries of these procedures: one delete, one insert, one FTS insert."""
        if not documents:
            return 0
        entries = [SearchEntry(procedure_id=d["id"], **entry_values(d)) for d in documents]
        ids = [e.procedure_id for e in entries]
        SearchEntry.objects.filter(procedure_id__in=ids).delete()
        SearchEntry.objects.bulk_create(entries)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(i,) for i in ids])
                cursor.executemany(
                    "INSERT INTO search_fts(rowid, folded_title, folded_keywords, folded_meta,"
                    " folded_body) VALUES (%s, %s, %s, %s, %s)",
                    [
                        (
                            e.procedure_id,
                            e.folded_title,
                            e.folded_keywords,
                            e.folded_meta,
                            e.folded_body,
                        )
                        for e in entries
                    ],
                )
        self._remember_terms(entries)
        return len(entries)

    def remove(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        with transaction.atomic():
            SearchEntry.objects.filter(procedure_id__in=ids).delete()
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.executemany(
                        "DELETE FROM search_fts WHERE rowid = %s", [(i,) for i in ids]
                    )
            IndexVersion.replace()

    def rebuild(self, documents: Iterable[dict]) -> int:
        """In one transaction: readers see the old index until the new one is complete."""
        with transaction.atomic():
            SearchEntry.objects.all().delete()
            SearchTerm.objects.all().delete()
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM search_fts")
            return self.index(documents)

    def _remember_terms(self, entries: list[SearchEntry]) -> None:
        words = set()
        for e in entries:
            words.update(f"{e.folded_title} {e.folded_keywords} {e.folded_meta}".split())
        terms = [
            SearchTerm(term=w, length=len(w))
            for w in words
            if 2 <= len(w) <= 100 and not w.isdigit() and re.fullmatch(r"[a-z0-9]+", w)
        ]
        SearchTerm.objects.bulk_create(terms, ignore_conflicts=True)

    # --- reading ---------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        parsed = text.parse_query(query.text)
        if not parsed.words_folded and not parsed.code:
            return SearchResults(hits=[], total=0, backend=self.name)
        table = entry_table()
        phrases = expand(parsed, editor_synonyms())
        depth = min(max(RANK_LIMIT, query.page * query.page_size), MAX_PAGED_RESULTS)
        found = self._candidates(parsed, phrases, Candidates(table, query, parsed, depth))
        suggestion = None if found.ids else did_you_mean(parsed, found.corrections)
        ranked = rank(ranked_entries(found.to_rank), parsed, phrases, found)[:depth]
        start = (max(query.page, 1) - 1) * query.page_size
        page = ranked[start : start + query.page_size]
        shown = SearchEntry.objects.in_bulk([entry.procedure_id for entry, _ in page])
        return SearchResults(
            hits=[
                hit_for(shown[entry.procedure_id], score, parsed)
                for entry, score in page
                if entry.procedure_id in shown  # not removed meanwhile
            ],
            total=len(found.ids),
            facets=table.facets(found.ids),
            suggestion=suggestion,
            backend=self.name,
        )

    def suggest(
        self, prefix: str, province: str | None = None, limit: int = 10
    ) -> list[Suggestion]:
        parsed = text.parse_query(prefix)
        match = engine().expression([parsed.words_folded], TITLE, prefix_last=True, any_prefix=True)
        if match is None:
            return []
        table = entry_table()
        matched = table.allowed(SearchQuery("", province=province)).intersection(
            engine().ids(match)
        )
        starting = matched.intersection(engine().title_starts_with(parsed.words_folded))
        best = table.best(starting, limit)
        best += table.best(matched - starting, limit - len(best))
        found = SearchEntry.objects.filter(pk__in=best).only(
            "code", "province", "title", "url", "folded_title", "popularity"
        )
        ranked = sorted(
            found,
            key=lambda e: (
                not e.folded_title.startswith(parsed.folded),
                -e.popularity,
                len(e.title),
            ),
        )
        return [Suggestion(e.code, e.province, e.title, e.url) for e in ranked[:limit]]

    # --- candidates -------------------------------------------------------------------------

    def _candidates(self, parsed, phrases: list[str], found: "Candidates") -> "Candidates":
        """Every matching id (for the count and facets), and the ones worth ranking (see
        Candidates.add). Corrected words are tried only when nothing else matched."""
        fts = engine()
        words = parsed.words_folded
        if parsed.code:
            found.add_found("code", code_ids(parsed.code))
        if len(words) > 1:
            found.add(fts.expression([words], NAMES, prefix_last=True, phrase=True), "as_typed")
        synonyms = [text.fold(phrase).split() for phrase in phrases]
        found.add(fts.expression(synonyms, NAMES, phrase=True), "phrase")
        found.add(fts.expression([words], TITLE, prefix_last=True), "title")
        found.add(fts.expression([words], KEYWORDS, prefix_last=True), "keywords")
        if len(found.to_rank) < found.depth:  # a subset of all_words, only to fill the ranking
            found.add(fts.expression([words], SPLIT, prefix_last=True), "split")
        found.add(fts.expression([words], ALL, prefix_last=True), "all_words")
        # Nothing matched: words the index does not know are likely typos; search again with
        # the nearest known words. (Were they corrected while something else matched, "sổ
        # hồng" would also find every "cổng" once its synonyms had found the right answer.)
        if words and not found.ids:
            found.corrections = self._corrections(words, found.allowed)
        if found.corrections:
            corrected = [found.corrections.get(w, w) for w in words]
            found.add(fts.expression([corrected], ALL, prefix_last=True), "fuzzy")
        return found

    def _corrections(self, words: list[str], allowed: frozenset[int]) -> dict[str, str]:
        """For each word the index does not know (a typo), the nearest known word: one edit
        away (two for long words). Among equally near words, the first that gives results
        (within `allowed`) with the rest of the query wins."""
        corrections: dict[str, str] = {}
        known = set(SearchTerm.objects.filter(term__in=words).values_list("term", flat=True))
        for index, word in enumerate(words):
            if word in known or len(word) < 3 or word.isdigit():
                continue
            is_last = index == len(words) - 1
            if is_last and SearchTerm.objects.filter(term__startswith=word).exists():
                continue  # still being typed: a prefix of a known word
            options = self._nearest_terms(word)
            if not options:
                continue
            corrections[word] = options[0]
            for option in options[:MAX_CORRECTION_TRIES]:
                trial = [corrections.get(w, w) for w in words]
                trial[index] = option
                match = engine().expression([trial], ALL, prefix_last=True)
                if match and not allowed.isdisjoint(engine().ids(match)):
                    corrections[word] = option
                    break
        return corrections

    def _nearest_terms(self, word: str) -> list[str]:
        """The known words fewest edits away (at most `limit`), nearest first: on PostgreSQL,
        among equally near words, the more trigrams in common (pg_trgm) first. Trigrams do not
        narrow the vocabulary: a swap of two letters ("lcih" for "lich") shares almost none."""
        limit = 1 if len(word) < 7 else 2
        candidates = SearchTerm.objects.filter(
            length__gte=len(word) - limit, length__lte=len(word) + limit
        )
        if connection.vendor == "postgresql":
            similar = candidates.annotate(similarity=TrigramSimilarity("term", word))
            rows = similar.values_list("term", "similarity")
        else:
            rows = ((term, 0.0) for term in candidates.values_list("term", flat=True))
        scored = sorted(
            (text.edit_distance(word, term, limit), -similarity, abs(len(term) - len(word)), term)
            for term, similarity in rows
        )
        best = scored[0][0] if scored else limit + 1
        return [term for distance, *_, term in scored if distance == best <= limit]


# Which folded columns a match reads: everything; the title or the keywords (a phrase within
# one of them); the title; the keywords; the title and keywords together (words of the query
# in either, as with "Nuôi ong lấy mật" and the keyword "rừng" for "mật ong rừng").
ALL, NAMES, TITLE, KEYWORDS, SPLIT = "all", "names", "title", "keywords", "split"


def code_ids(code: str) -> list[int]:
    """Procedures whose code starts with the one typed (in every province)."""
    return list(SearchEntry.objects.filter(code__istartswith=code).values_list("pk", flat=True))


class FtsEngine:
    """SQLite FTS5 over `search_fts` (rowid = procedure id)."""

    COLUMN_FILTERS = {
        ALL: "",
        NAMES: "{folded_title folded_keywords} : ",
        SPLIT: "{folded_title folded_keywords} : ",
        TITLE: "folded_title : ",
        KEYWORDS: "folded_keywords : ",
    }

    def expression(
        self, alternatives, columns=ALL, prefix_last=False, phrase=False, any_prefix=False
    ):
        """The MATCH string for entries holding any of the word lists (each: every word, or
        the words in a row when `phrase`; the last word a prefix when `prefix_last`, however
        short when `any_prefix`); None when no word is usable."""
        lists = usable(alternatives)
        if not lists:
            return None
        terms = " OR ".join(
            f"({_fts_terms(words, prefix_last, any_prefix, phrase)})" for words in lists
        )
        return f"{self.COLUMN_FILTERS[columns]}({terms})"

    def ids(self, match: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [match])
            return [row[0] for row in cursor.fetchall()]

    def title_starts_with(self, words: list[str]) -> list[int]:
        """Entries whose title begins with these words, the last one as typed so far."""
        words = usable([words])
        if not words:
            return []
        return self.ids(f'folded_title : ^"{" ".join(words[0])}"*')

    def phrases_in_title(self, phrases: list[list[str]]) -> Counter:
        """How many of these phrases (usable words) each title holds: one query a phrase."""
        held: Counter = Counter()
        for words in phrases:
            held.update(self.ids(self.expression([words], TITLE, phrase=True)))
        return held


class PostgresEngine:
    """PostgreSQL full-text search over the folded columns: the whole text as an expression
    index, titles and keywords as stored tsvectors (a phrase is checked again row by row, and
    reading a stored vector is much cheaper than parsing the text each time); see the
    migrations."""

    # Must stay the expression of the index in migration 0002, or the index goes unused.
    WHOLE_TEXT = (
        "to_tsvector('simple', (folded_title || ' ' || folded_keywords || ' ' || folded_meta"
        " || ' ' || folded_body))"
    )
    # What an entry must meet, any one of, with {q} for the query.
    CONDITIONS = {
        ALL: [f"{WHOLE_TEXT} @@ {{q}}"],
        NAMES: ["title_vector @@ {q}", "keywords_vector @@ {q}"],
        TITLE: ["title_vector @@ {q}"],
        KEYWORDS: ["keywords_vector @@ {q}"],
        # the whole text's index first: the two vectors together have none
        SPLIT: [f"{WHOLE_TEXT} @@ {{q}} AND (title_vector || keywords_vector) @@ {{q}}"],
    }

    def expression(
        self, alternatives, columns=ALL, prefix_last=False, phrase=False, any_prefix=False
    ):
        lists = usable(alternatives)
        if not lists:
            return None
        terms = " | ".join(
            f"({_ts_terms(words, prefix_last, any_prefix, phrase)})" for words in lists
        )
        return (self.CONDITIONS[columns], terms)

    def ids(self, match: tuple[list[str], str]) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(*self.query(match))
            return [row[0] for row in cursor.fetchall()]

    def query(self, match: tuple[list[str], str]) -> tuple[str, list[str]]:
        """The SQL of a match, and its parameters."""
        conditions, terms = match
        condition = " OR ".join(f"({c})" for c in conditions)
        condition = condition.replace("{q}", "to_tsquery('simple', %s)")
        sql = f"SELECT procedure_id FROM search_searchentry WHERE {condition}"  # noqa: S608
        return sql, [terms] * condition.count("%s")

    def phrases_in_title(self, phrases: list[list[str]]) -> Counter:
        """How many of these phrases each title holds, in one query: a phrase is checked on
        each candidate row again, so asking once per phrase would read the rows many times."""
        terms = [_ts_terms(words, False, False, True) for words in phrases]
        held = " + ".join("(title_vector @@ to_tsquery('simple', %s))::int" for _ in terms)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT procedure_id, {held} FROM search_searchentry"  # noqa: S608
                " WHERE title_vector @@ to_tsquery('simple', %s)",
                [*terms, " | ".join(f"({t})" for t in terms)],
            )
            return Counter(dict(cursor.fetchall()))

    def title_starts_with(self, words: list[str]) -> list[int]:
        words = usable([words])
        if not words:
            return []
        prefix = " ".join(words[0])  # usable words: letters, digits and dots, nothing LIKE reads
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT procedure_id FROM search_searchentry WHERE folded_title LIKE %s",
                [prefix + "%"],
            )
            return [row[0] for row in cursor.fetchall()]


def engine() -> FtsEngine | PostgresEngine:
    return PostgresEngine() if connection.vendor == "postgresql" else FtsEngine()


def usable(alternatives: Iterable[list[str]]) -> list[list[str]]:
    """The word lists with only words an engine reads as plain words (folded, no syntax)."""
    lists = [[w for w in words if re.fullmatch(r"[a-z0-9.]+", w)] for words in alternatives]
    return [words for words in lists if words]


def _prefix_allowed(word: str, prefix_last: bool, any_prefix: bool) -> bool:
    """A search takes a last word shorter than text.MIN_PREFIX whole; autocomplete
    (`any_prefix`) takes any prefix."""
    return prefix_last and (any_prefix or len(word) >= text.MIN_PREFIX)


def _fts_terms(words: list[str], prefix_last: bool, any_prefix: bool, phrase: bool) -> str:
    prefix = "*" if _prefix_allowed(words[-1], prefix_last, any_prefix) else ""
    if phrase:
        return f'"{" ".join(words)}"{prefix}'
    return " ".join([*(f'"{w}"' for w in words[:-1]), f'"{words[-1]}"{prefix}'])


def _ts_terms(words: list[str], prefix_last: bool, any_prefix: bool, phrase: bool) -> str:
    terms = list(words)
    if _prefix_allowed(words[-1], prefix_last, any_prefix):
        terms[-1] += ":*"
    return (" <-> " if phrase else " & ").join(terms)


def did_you_mean(parsed, corrections: dict[str, str]) -> str | None:
    """The query with its typos corrected (the corrections the candidate search made)."""
    if not corrections:
        return None
    return " ".join(corrections.get(w, w) for w in parsed.words_folded)


def editor_synonyms() -> list[tuple[str, list[str]]]:
    from ..models import Synonym

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


class Ranked(NamedTuple):
    """The columns ranking reads."""

    procedure_id: int
    code: str
    title: str
    exact_title: str
    exact_keywords: str
    folded_title: str
    folded_keywords: str
    popularity: int


def ranked_entries(ids: Iterable[int]) -> list[Ranked]:
    rows = SearchEntry.objects.filter(pk__in=ids).values_list(*Ranked._fields)
    return [Ranked(*row) for row in rows]


def rank(entries: list[Ranked], parsed, phrases: list[str], found: Candidates) -> list:
    """Entries with their scores, best first (see the tier constants above)."""
    folded_phrases = [p for p in map(folded_words, phrases) if p]
    scored = [(entry, score(entry, parsed, folded_phrases, found)) for entry in entries]
    scored.sort(key=lambda pair: (-pair[1], len(pair[0].title), pair[0].code, pair[0].procedure_id))
    return scored


def score(entry: Ranked, parsed, folded_phrases: list[str], found: Candidates) -> float:
    words = parsed.words_folded
    title_words = set(entry.folded_title.split())
    tier = 0
    if parsed.code and entry.code.lower().startswith(parsed.code.lower()):
        tier = CODE
    elif (
        parsed.accented
        and parsed.exact
        and _holds(f"{entry.exact_title} ; {entry.exact_keywords}", parsed.exact, typing=True)
    ):
        tier = ACCENTED_PHRASE
    elif any(
        _holds(entry.folded_title, p) or _holds(entry.folded_keywords, p) for p in folded_phrases
    ):
        tier = SYNONYM_PHRASE
    elif _all_present(words, title_words):
        tier = TITLE_ALL_WORDS
    elif _all_present(words, set(entry.folded_keywords.split())):
        tier = KEYWORDS_ALL_WORDS
    elif found.matched(entry.procedure_id, "all_words"):
        tier = ALL_WORDS
    elif found.matched(entry.procedure_id, "fuzzy"):
        tier = FUZZY
    bonus = sum(SHINGLE for pair in text.shingles(words) if _holds(entry.folded_title, pair))
    if parsed.accented:
        exact_title_words = set(entry.exact_title.split())
        bonus += sum(ACCENTED_WORD for w in parsed.words_exact if w in exact_title_words)
    bonus += sum(WORD_IN_TITLE for w in words if w in title_words)
    popularity = min(entry.popularity, MAX_POPULARITY) / (MAX_POPULARITY + 1)
    return tier + min(bonus, 49_000) + popularity


def _all_present(words: list[str], vocabulary: set[str]) -> bool:
    """Every word present; the last one may be a prefix (the citizen is still typing) when it
    has text.MIN_PREFIX letters."""
    if not words:
        return False
    *complete, last = words
    if not all(w in vocabulary for w in complete):
        return False
    if len(last) < text.MIN_PREFIX:
        return last in vocabulary
    return any(v.startswith(last) for v in vocabulary)


def _holds(value: str, phrase: str, typing: bool = False) -> bool:
    """Whether `value` holds `phrase` as whole words; with `typing`, its last word may be a
    prefix when it has text.MIN_PREFIX letters (the citizen is still typing)."""
    return bool(_phrase_pattern(phrase, typing).search(value))


@lru_cache(maxsize=1024)
def _phrase_pattern(phrase: str, typing: bool) -> re.Pattern:
    last = phrase.rsplit(" ", 1)[-1]
    end = "" if typing and len(last) >= text.MIN_PREFIX else r"(?!\w)"
    return re.compile(rf"(?<!\w){re.escape(phrase)}{end}")


def hit_for(entry: SearchEntry, score_value: float, parsed) -> Hit:
    return Hit(
        id=entry.procedure_id,
        code=entry.code,
        province=entry.province,
        title=entry.title,
        url=entry.url,
        agency=entry.agency_name,
        field=entry.field_name,
        level=entry.level,
        status=entry.status,
        score=score_value,
        highlight=text.highlight(entry.title, parsed),
        snippet=text.snippet(entry.body, parsed),
    )
