"""The embedded search backend: the SearchEntry shadow table, with SQLite FTS5 or PostgreSQL
full-text (and trigram similarity) over its pre-folded columns.

The engine gives ids only, for each way of matching (the words as typed and the synonym phrases
as phrases in the title or the keywords; all words in the title, in the keywords, in the two
together, anywhere; corrected words); filters, facets and which of many matches are worth
ranking are answered from memory (entry_table); ranking happens in tiers (ranking.rank),
the same on both databases.

The package, by job: `columns` (a document's pre-folded shadow columns), `engines` (SQLite FTS5
and PostgreSQL), `matching` (the ways of matching, within the filters), `ranking` (tiers and the
hits shown); here, the backend that writes the entries and joins the rest.
"""

import re
from collections.abc import Iterable

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction

from ... import text
from ...models import IndexVersion, SearchEntry, SearchTerm
from ...synonyms import expand
from ..base import (
    MAX_PAGED_RESULTS,
    SearchBackend,
    SearchQuery,
    SearchResults,
    Suggestion,
)
from ..entry_table import entry_table
from .columns import entry_values
from .engines import ALL, KEYWORDS, NAMES, SPLIT, TITLE, engine
from .matching import Candidates, code_ids, did_you_mean, editor_synonyms, unknown_words
from .ranking import hit_for, rank, ranked_entries

RANK_LIMIT = 100  # matches ranked per way of matching (more when a deep page asks for them)
MAX_CORRECTION_TRIES = 8


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
        if found.any_words:
            for word in dict.fromkeys(words):  # the last word may be still being typed
                found.add_word(fts.expression([[word]], ALL, prefix_last=word == words[-1]))
            return found
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
        typos = unknown_words(words)
        for index, word in enumerate(words):
            if word not in typos:
                continue
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
