"""The production search backend: Elasticsearch through elasticsearch-dsl (`elasticsearch.dsl`).

One index per province behind an alias; a rebuild fills new indices and then switches every alias
in one atomic call (docs/search-elasticsearch.md). Text is normalised and folded in Python by
search.text, exactly as the database backend does, and analysed in Elasticsearch with built-in
components only (standard tokenizer, lowercase, asciifolding, shingle, search_as_you_type): no
plugin is needed.

Names, for prefix P (default "thutuc") and a province code C:

- index `P-C-<UTC timestamp>`: what is written and read, never addressed by name when searching;
- alias `P-C`: the province's current index (its write index);
- alias `P`: every province's current index, for searches across provinces.

Ranking is in tiers (the constants under "ranking"), as in the database backend: a procedure
scores its best tier, plus bonuses that never add up to the next tier, plus popularity as a
tie-break. User text only ever reaches the engine as the words of search.text.parse_query() inside
match, multi_match, term and prefix queries: never as query_string syntax.

The package, by job: `analysis` (the analysers), `document` (the procedure Document: its
mapping and stored form, and a province index's definition), `indices` (names, writing, the
atomic rebuild), `queries` (the requests), `results` (hits, facets and the suggestion from
responses); here, the backend that joins them.
"""

from collections.abc import Callable

from elasticsearch import Elasticsearch

from ... import text
from ...synonyms import expand
from ..base import SearchBackend, SearchQuery, SearchResults, SearchUnavailable, Suggestion
from .indices import DEFAULT_PREFIX, ELASTICSEARCH_ERRORS, IndexWriter
from .queries import ProcedureSearch, build_query, build_suggest
from .results import response_body, results_from


# Both read the database lazily: the vocabulary and the editors' synonyms live there (the
# database index is kept beside Elasticsearch as its fallback).
def _unknown_words(words: list[str]) -> set[str]:
    from ..database.matching import unknown_words

    return unknown_words(words)


def _editor_synonyms() -> list:
    from ..database.matching import editor_synonyms

    return editor_synonyms()


class ElasticsearchBackend(IndexWriter, SearchBackend):
    name = "elasticsearch"

    def __init__(
        self,
        url: str,
        prefix: str = DEFAULT_PREFIX,
        client=None,
        *,
        synonyms: Callable[[], list] | None = None,
        refresh: bool | str = True,
    ):
        """`client`: an Elasticsearch client (default: one for `url`). `synonyms`: returns the
        editors' synonym entries (default: the active Synonym rows). `refresh`: how index() and
        remove() make their writes visible (True: at once; "wait_for"; False: within a second)."""
        self.url = url
        self.prefix = prefix
        self.client = (
            client
            if client is not None
            else Elasticsearch(url, request_timeout=3, retry_on_timeout=False, max_retries=0)
        )
        self.synonyms = synonyms or _editor_synonyms
        self.refresh = refresh

    # --- reading -----------------------------------------------------------------------------

    def build_query(
        self,
        query: SearchQuery,
        phrases: list[str] | None = None,
        typos: frozenset[str] = frozenset(),
    ) -> ProcedureSearch:
        return build_query(query, phrases, prefix=self.prefix, using=self.client, typos=typos)

    def search(self, query: SearchQuery) -> SearchResults:
        """Ranked results; the words the index does not know (search.models.SearchTerm, the
        vocabulary the database backend keeps) are corrected only when nothing else matched,
        as the database backend does ("sổ hồng" must not also find every "cổng")."""
        parsed = text.parse_query(query.text)
        if not parsed.words_folded:
            return SearchResults(hits=[], total=0, backend=self.name)
        phrases = expand(parsed, self.synonyms())
        results = self._run(self.build_query(query, phrases), parsed)
        if results.total or query.any_words:
            return results
        typos = frozenset(_unknown_words(parsed.words_folded))
        if not typos:
            return results
        corrected = self._run(self.build_query(query, phrases, typos), parsed)
        # As the database: "did you mean" only when even the corrected words matched nothing.
        corrected.suggestion = None if corrected.total else results.suggestion
        return corrected

    def _run(self, request: ProcedureSearch, parsed) -> SearchResults:
        try:
            response = request.execute()
        except ELASTICSEARCH_ERRORS as error:
            raise SearchUnavailable(f"Elasticsearch: {error}") from error
        return results_from(response_body(response), parsed, self.name)

    def suggest(
        self, prefix: str, province: str | None = None, limit: int = 10
    ) -> list[Suggestion]:
        parsed = text.parse_query(prefix)
        if not parsed.words_folded:
            return []
        request = build_suggest(prefix, province, limit, prefix=self.prefix, using=self.client)
        try:
            body = response_body(request.execute())
        except ELASTICSEARCH_ERRORS as error:
            raise SearchUnavailable(f"Elasticsearch: {error}") from error
        return [
            Suggestion(
                code=source.get("code", ""),
                province=source.get("province", ""),
                title=source.get("title", ""),
                url=source.get("url", ""),
            )
            for source in (hit.get("_source", {}) for hit in body.get("hits", {}).get("hits", []))
        ]
