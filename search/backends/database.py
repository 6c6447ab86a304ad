"""The embedded search backend: the SearchEntry shadow table, with SQLite FTS5 or PostgreSQL
full-text (and trigram similarity) over its pre-folded columns.

Candidates come from the engine (all folded words, synonym phrases, corrected words); ranking
happens here, in tiers (see `rank`), the same on both databases.
"""

import re
from collections import Counter
from collections.abc import Iterable

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import QuerySet

from catalog.levels import Level
from catalog.models import Tier

from .. import text
from ..models import SearchEntry, SearchTerm
from ..synonyms import expand
from .base import (
    FACETS,
    STATUS_ALL,
    FacetValue,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResults,
    Suggestion,
)

RANK_LIMIT = 200  # per way of matching: the engine's best, re-ranked here in tiers
MAX_CORRECTION_TRIES = 8
MIN_PREFIX = 3  # letters a search's last word needs to be taken as a prefix

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
        filtered = self._filtered(query)
        if not parsed.words_folded and not parsed.code:
            return SearchResults(hits=[], total=0, backend=self.name)
        phrases = expand(parsed, editor_synonyms())
        found = self._candidates(parsed, phrases, filtered)
        suggestion = None if found.ids else did_you_mean(parsed, found.corrections)
        entries = SearchEntry.objects.filter(pk__in=found.to_rank).defer("folded_body")
        ranked = rank(list(entries), parsed, phrases, found)
        start = (max(query.page, 1) - 1) * query.page_size
        page = ranked[start : start + query.page_size]
        return SearchResults(
            hits=[hit_for(entry, score, parsed) for entry, score in page],
            total=len(found.ids),
            facets=facets(found.facet_rows.values()),
            suggestion=suggestion,
            backend=self.name,
        )

    def suggest(
        self, prefix: str, province: str | None = None, limit: int = 10
    ) -> list[Suggestion]:
        parsed = text.parse_query(prefix)
        if not parsed.words_folded:
            return []
        entries = SearchEntry.objects.filter(status="active")
        if province:
            entries = entries.filter(province=province)
        matched = self._match(entries, parsed.words_folded, prefix_last=True, title_only=True)
        if matched is None:
            return []
        ids = set(matched.values_list("pk", flat=True))
        found = SearchEntry.objects.filter(pk__in=best_ids(matched, ids, "title")).defer(
            "folded_body"
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

    def _filtered(self, query: SearchQuery) -> QuerySet:
        entries = SearchEntry.objects.all()
        if query.status != STATUS_ALL:
            entries = entries.filter(status=query.status)
        if query.province:
            entries = entries.filter(province=query.province)
        if query.agency:
            entries = entries.filter(agency_code__iexact=query.agency)
        if query.field:
            entries = entries.filter(field_code=query.field)
        if query.tier:
            entries = entries.filter(tiers__contains=f" {query.tier} ")
        if query.level:
            entries = entries.filter(level=query.level)
        return entries

    def _candidates(self, parsed, phrases: list[str], entries: QuerySet) -> "Candidates":
        """Every matching id (for the count and facets), and the few worth ranking: the
        engine's best for each way of matching."""
        found = Candidates()
        if parsed.code:
            found.add(entries.filter(code__istartswith=parsed.code), "code")
        words = parsed.words_folded
        found.add(self._match(entries, words, prefix_last=True), "all_words")
        phrase_words = [text.fold(phrase).split() for phrase in phrases]
        found.add(self._match_any(entries, phrase_words), "phrase")
        # Words the index does not know are likely typos: search again with the nearest known
        # words (the all-words match above cannot contain an unknown word).
        found.corrections = self._corrections(words, entries) if words else {}
        if found.corrections:
            corrected = [found.corrections.get(w, w) for w in words]
            found.add(self._match(entries, corrected, prefix_last=True), "fuzzy")
        return found

    def _match_ids(self, entries, words, prefix_last=False, title_only=False) -> set[int]:
        matched = self._match(entries, words, prefix_last, title_only)
        return set(matched.values_list("pk", flat=True)) if matched is not None else set()

    def _match(self, entries, words, prefix_last=False, title_only=False) -> QuerySet | None:
        """The entries whose folded text holds every word (the last may be a prefix), with the
        engine's relevance as `engine_rank` (lower is better); None when no word is usable."""
        return self._match_any(entries, [words], prefix_last, title_only)

    def _match_any(self, entries, alternatives, prefix_last=False, title_only=False):
        """Entries matching any of the word lists (each: every word), in one engine query."""
        lists = [[w for w in words if re.fullmatch(r"[a-z0-9.]+", w)] for words in alternatives]
        lists = [words for words in lists if words]
        if not lists:
            return None
        if connection.vendor == "sqlite":
            match = " OR ".join(
                f"({_fts_terms(words, prefix_last, title_only)})" for words in lists
            )
            if title_only:
                match = f"folded_title : ({match})"
            # Driven from the FTS index: a join would let SQLite probe it row by row.
            matched = entries.extra(  # noqa: S610 - fixed SQL; the match string is a parameter
                where=[
                    "search_searchentry.procedure_id IN"
                    " (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
                ],
                params=[match],
            )
            matched.fts_match = match
            return matched
        query = " | ".join(f"({_ts_terms(words, prefix_last, title_only)})" for words in lists)
        document = "folded_title" if title_only else POSTGRES_DOCUMENT
        vector = f"to_tsvector('simple', {document})"
        return entries.extra(  # noqa: S610 - fixed SQL; the terms are parameters
            where=[f"{vector} @@ to_tsquery('simple', %s)"],
            params=[query],
            select={"engine_rank": f"-ts_rank({vector}, to_tsquery('simple', %s))"},
            select_params=[query],
        )

    def _corrections(self, words: list[str], entries: QuerySet | None = None) -> dict[str, str]:
        """For each word the index does not know (a typo), the nearest known word: one edit
        away (two for long words). Among equally near words, the first that gives results
        with the rest of the query wins when `entries` is given."""
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
            if entries is None:
                continue
            for option in options[:MAX_CORRECTION_TRIES]:
                trial = [corrections.get(w, w) for w in words]
                trial[index] = option
                if self._match_ids(entries, trial, prefix_last=True):
                    corrections[word] = option
                    break
        return corrections

    def _nearest_terms(self, word: str) -> list[str]:
        limit = 1 if len(word) < 7 else 2
        candidates = SearchTerm.objects.filter(
            length__gte=len(word) - limit, length__lte=len(word) + limit
        )
        if connection.vendor == "postgresql":
            # Trigram similarity (pg_trgm, GIN-indexed) narrows the vocabulary first.
            candidates = candidates.annotate(similarity=TrigramSimilarity("term", word))
            candidates = candidates.filter(similarity__gte=0.2).order_by("-similarity")[:200]
        candidates = candidates.values_list("term", flat=True)
        scored = sorted(
            (text.edit_distance(word, term, limit), abs(len(term) - len(word)), term)
            for term in candidates
        )
        best = scored[0][0] if scored else limit + 1
        return [term for distance, _, term in scored if distance == best <= limit]


def _prefix_allowed(word: str, prefix_last: bool, title_only: bool) -> bool:
    """A last word of one or two letters as a prefix would match most of the catalogue's
    bodies ("do" → doanh, dong, doi…): search takes it whole; titles (autocomplete) allow it."""
    return prefix_last and (title_only or len(word) >= MIN_PREFIX)


def _fts_terms(words: list[str], prefix_last: bool, title_only: bool) -> str:
    terms = [f'"{w}"' for w in words]
    if _prefix_allowed(words[-1], prefix_last, title_only):
        terms[-1] += "*"
    return " ".join(terms)


def _ts_terms(words: list[str], prefix_last: bool, title_only: bool) -> str:
    terms = list(words)
    if _prefix_allowed(words[-1], prefix_last, title_only):
        terms[-1] += ":*"
    return " & ".join(terms)


def did_you_mean(parsed, corrections: dict[str, str]) -> str | None:
    """The query with its typos corrected (the corrections the candidate search made)."""
    if not corrections:
        return None
    return " ".join(corrections.get(w, w) for w in parsed.words_folded)


POSTGRES_DOCUMENT = (
    "(folded_title || ' ' || folded_keywords || ' ' || folded_meta || ' ' || folded_body)"
)


def editor_synonyms() -> list[tuple[str, list[str]]]:
    from ..models import Synonym

    return [(s.term, s.expansion_list()) for s in Synonym.objects.filter(is_active=True)]


FACET_COLUMNS = ("agency_code", "agency_name", "field_code", "field_name", "level", "tiers")


class Candidates:
    """What the engine matched, by way of matching: all ids with their facet values (read in
    the same query, so facets need no second pass over thousands of ids), and the best few
    of each way."""

    def __init__(self):
        self.ids: set[int] = set()
        self.facet_rows: dict[int, tuple] = {}
        self.to_rank: set[int] = set()
        self.by_way: dict[str, set[int]] = {}
        self.corrections: dict[str, str] = {}

    def add(self, matched: QuerySet | None, way: str) -> None:
        if matched is None:
            return
        rows = {pk: rest for pk, *rest in matched.values_list("pk", *FACET_COLUMNS)}
        self.facet_rows.update(rows)
        ids = set(rows)
        self.ids |= ids
        self.by_way.setdefault(way, set()).update(ids)
        if len(ids) <= RANK_LIMIT:
            self.to_rank |= ids
        else:
            self.to_rank |= set(best_ids(matched, ids, way))

    def matched(self, entry_id: int, way: str) -> bool:
        return entry_id in self.by_way.get(way, ())


def best_ids(matched: QuerySet, ids: set[int], way: str) -> list[int]:
    """The RANK_LIMIT ids the engine thinks best among `ids` (title words weigh most)."""
    match = getattr(matched, "fts_match", None)
    if match is None:
        ordering = "code" if way == "code" else "engine_rank"
        return list(matched.order_by(ordering).values_list("pk", flat=True)[:RANK_LIMIT])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
            " ORDER BY bm25(search_fts, 10.0, 5.0, 2.0, 1.0) LIMIT %s",
            [match, RANK_LIMIT * 10],
        )
        ordered = [row[0] for row in cursor.fetchall() if row[0] in ids]
    return ordered[:RANK_LIMIT]


def rank(entries: list[SearchEntry], parsed, phrases: list[str], found: Candidates) -> list:
    """Entries with their scores, best first (see the tier constants above)."""
    scored = [(entry, score(entry, parsed, phrases, found)) for entry in entries]
    scored.sort(key=lambda pair: (-pair[1], len(pair[0].title), pair[0].code))
    return scored


def score(entry: SearchEntry, parsed, phrases: list[str], found: Candidates) -> float:
    words = parsed.words_folded
    title_words = set(entry.folded_title.split())
    tier = 0
    if parsed.code and entry.code.lower().startswith(parsed.code.lower()):
        tier = CODE
    elif (
        parsed.accented
        and parsed.exact
        and parsed.exact in f"{entry.exact_title} ; {entry.exact_keywords}"
    ):
        tier = ACCENTED_PHRASE
    elif any(_contains_phrase(entry, phrase) for phrase in phrases):
        tier = SYNONYM_PHRASE
    elif _all_present(words, title_words):
        tier = TITLE_ALL_WORDS
    elif _all_present(words, set(entry.folded_keywords.split())):
        tier = KEYWORDS_ALL_WORDS
    elif found.matched(entry.procedure_id, "all_words"):
        tier = ALL_WORDS
    elif found.matched(entry.procedure_id, "fuzzy"):
        tier = FUZZY
    bonus = sum(SHINGLE for pair in text.shingles(words) if pair in entry.folded_title)
    if parsed.accented:
        exact_title_words = set(entry.exact_title.split())
        bonus += sum(ACCENTED_WORD for w in parsed.words_exact if w in exact_title_words)
    bonus += sum(WORD_IN_TITLE for w in words if w in title_words)
    return tier + min(bonus, 49_000) + min(entry.popularity, 999) / 1000


def _all_present(words: list[str], vocabulary: set[str]) -> bool:
    """Every word present; the last one may be a prefix (the citizen is still typing)."""
    if not words:
        return False
    *complete, last = words
    return all(w in vocabulary for w in complete) and any(v.startswith(last) for v in vocabulary)


def _contains_phrase(entry: SearchEntry, phrase: str) -> bool:
    folded = folded_words(phrase)
    return folded in entry.folded_title or folded in entry.folded_keywords


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
    )


def facets(rows: Iterable[tuple]) -> dict[str, list[FacetValue]]:
    """Counts by agency, field, tier and level over every matching procedure (rows of
    FACET_COLUMNS values); labels are looked up once a value, not once a row."""
    counts = {facet: Counter() for facet in FACETS}
    names = {"agency": {}, "field": {}}
    for agency_code, agency_name, field_code, field_name, level, tiers in rows:
        counts["agency"][agency_code] += 1
        names["agency"][agency_code] = agency_name
        counts["field"][field_code] += 1
        names["field"][field_code] = field_name
        counts["level"][level] += 1
        counts["tier"][tiers] += 1
    tiers = Counter()
    for value, n in counts["tier"].items():
        for tier in value.split():
            tiers[tier] += n
    labels = {
        "agency": names["agency"].get,
        "field": names["field"].get,
        "level": lambda level: _label("level", level),
        "tier": _tier_label,
    }
    counts["tier"] = tiers
    return {
        facet: sorted(
            (
                FacetValue(str(value), labels[facet](value), n)
                for value, n in counts[facet].items()
                if value not in ("", None)
            ),
            key=lambda f: (-f.count, f.label),
        )
        for facet in FACETS
    }


def _tier_label(tier: str) -> str:
    return str(Tier(tier).label) if tier in Tier.values else tier


def _label(facet: str, value) -> str:
    return str(Level(int(value)).label) if facet == "level" else str(value)
