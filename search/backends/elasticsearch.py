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
"""

import html
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.dsl import (
    FacetedSearch,
    Index,
    Mapping,
    Q,
    Search,
    TermsFacet,
    analyzer,
    token_filter,
)
from elasticsearch.dsl.field import Integer, Keyword, SearchAsYouType, Text
from elasticsearch.dsl.query import Query
from elasticsearch.helpers import BulkIndexError

from .. import text
from ..synonyms import expand
from .base import (
    FACETS,
    MAX_PAGED_RESULTS,
    STATUS_ACTIVE,
    STATUS_ALL,
    FacetValue,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResults,
    SearchUnavailable,
    Suggestion,
    facet_label,
)

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "thutuc"
BULK_SIZE = 500
MAX_PAGE_SIZE = 100
MAX_PHRASES = 10  # synonym phrases used per query
MAX_FUZZY_LENGTH = 30  # longer "words" are matched exactly (no typo automaton on junk input)
ELASTICSEARCH_ERRORS = (ApiError, TransportError)  # TransportError covers connection and timeout

# --- analysis: built-in components only ------------------------------------------------------

VI_EXACT = analyzer("vi_exact", tokenizer="standard", filter=["lowercase"])
VI_FOLDED = analyzer("vi_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
VI_BIGRAMS = analyzer(
    "vi_bigrams",
    tokenizer="standard",
    filter=[
        "lowercase",
        "asciifolding",
        token_filter(
            "vi_bigram_shingles",
            "shingle",
            min_shingle_size=2,
            max_shingle_size=2,
            output_unigrams=False,
        ),
    ],
)
VI_TRIGRAMS = analyzer(  # words and 2-3 word shingles: the phrase suggester's language model
    "vi_trigrams",
    tokenizer="standard",
    filter=[
        "lowercase",
        "asciifolding",
        token_filter(
            "vi_trigram_shingles",
            "shingle",
            min_shingle_size=2,
            max_shingle_size=3,
            output_unigrams=True,
        ),
    ],
)

INDEX_SETTINGS = {"number_of_shards": 1, "auto_expand_replicas": "0-1"}

KEYWORD_TYPED_FIELDS = (
    "code",
    "province",
    "status",
    "tiers",
    "agency_code",
    "agency_name",
    "field_code",
    "field_name",
)


def procedure_mapping() -> Mapping:
    """The mapping of a province index. `title` and `title_en` are the display text (analysed
    folded, for highlighting); the *_exact and *_folded fields hold search.text's forms."""
    m = Mapping()
    m.meta("dynamic", "strict")
    m.field("id", Integer())
    m.field("level", Integer())
    m.field("popularity", Integer())
    for name in KEYWORD_TYPED_FIELDS:
        m.field(name, Keyword())
    m.field("url", Keyword(index=False, doc_values=False))
    m.field("title", Text(analyzer=VI_FOLDED))
    m.field("title_en", Text(analyzer=VI_FOLDED))
    m.field("title_exact", Text(analyzer=VI_EXACT))
    m.field(
        "title_folded",
        Text(
            analyzer=VI_FOLDED,
            fields={
                "shingles": Text(analyzer=VI_BIGRAMS),
                "trigrams": Text(analyzer=VI_TRIGRAMS),
                "raw": Keyword(ignore_above=512),
            },
        ),
    )
    m.field("title_suggest", SearchAsYouType(analyzer=VI_FOLDED, max_shingle_size=3))
    m.field("keywords_exact", Text(analyzer=VI_EXACT))
    m.field(
        "keywords_folded",
        Text(analyzer=VI_FOLDED, fields={"shingles": Text(analyzer=VI_BIGRAMS)}),
    )
    m.field("agency_folded", Text(analyzer=VI_FOLDED))
    m.field("field_folded", Text(analyzer=VI_FOLDED))
    m.field("body_folded", Text(analyzer=VI_FOLDED))
    m.field("body", Text(index=False))  # as written, for snippets
    return m


def index_definition(name: str, aliases: dict | None = None) -> Index:
    """A province index (settings, analysis, mapping and optionally its aliases)."""
    definition = Index(name)
    definition.settings(**INDEX_SETTINGS)
    definition.mapping(procedure_mapping())
    if aliases:
        definition.aliases(**aliases)
    return definition


def source_for(document: dict) -> dict:
    """What is stored for one search document (search.documents.document_for)."""
    title = _nfc(document["title"])
    title_en = _nfc(document.get("title_en") or "")
    titles = [t for t in (title, title_en) if t]
    keywords = [k for k in (*document.get("keywords", []), *document.get("keywords_en", [])) if k]
    return {
        "id": document["id"],
        "code": document["code"],
        "province": document["province"],
        "url": document["url"],
        "status": document["status"],
        "level": document["level"],
        "tiers": list(document["tiers"]),
        "agency_code": document["agency_code"],
        "agency_name": document["agency_name"],
        "field_code": document["field_code"],
        "field_name": document["field_name"],
        "title": title,
        "title_en": title_en,
        "title_exact": [text.normalise(t) for t in titles],
        "title_folded": [text.fold(t) for t in titles],
        "title_suggest": [text.fold(t) for t in titles],
        "keywords_exact": [text.normalise(k) for k in keywords],
        "keywords_folded": [text.fold(k) for k in keywords],
        "agency_folded": text.fold(document["agency_name"]),
        "field_folded": text.fold(document["field_name"]),
        "body_folded": text.fold(document["body"]),
        "body": _nfc(document["body"]),
        "popularity": int(document.get("popularity") or 0),
    }


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value or "")


# --- names -----------------------------------------------------------------------------------


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


# --- ranking ---------------------------------------------------------------------------------

# A procedure scores its best tier (dis_max of constant scores) ...
CODE = 1_000_000  # the procedure code, exactly
CODE_PREFIX = 900_000  # a code that starts with the query (1.000894 → 1.000894.000.00.00.H36)
ACCENTED_PHRASE = 800_000  # query typed with accents, found as a phrase in the exact title/keywords
SYNONYM_PHRASE = 700_000  # a phrase the query also means (search.synonyms), in title/keywords
TITLE_ALL_WORDS = 600_000  # every folded word in the title (the last one may be a prefix)
KEYWORDS_ALL_WORDS = 500_000
NAMES_ALL_WORDS = 400_000  # agency and field names
ALL_WORDS = 300_000  # every word somewhere, body included
SHINGLES = 200_000  # most adjacent word pairs of the query in the title or keywords
FUZZY = 100_000  # every word, with typos, in title, keywords or names
# ... plus bonuses that never reach the next tier (at most 11 pairs and 12 words: 55,000) ...
SHINGLE_BONUS = 3_000  # each adjacent pair of query words found in the title
ACCENTED_WORD_BONUS = 2_000  # each word of an accented query found with its accents in the title
# ... plus BM25 relevance with these field weights (title > keywords > names > body) ...
WEIGHTED_FIELDS = [
    "title_folded^4",
    "keywords_folded^3",
    "agency_folded^2",
    "field_folded^2",
    "body_folded",
]
# ... plus log(1 + popularity), the tie-break.

TITLE_FIELDS = ["title_folded"]
KEYWORDS_FOLDED = ["keywords_folded"]
NAME_FIELDS = ["agency_folded", "field_folded"]
ALL_FIELDS = [*TITLE_FIELDS, *KEYWORDS_FOLDED, *NAME_FIELDS, "body_folded"]
FUZZY_FIELDS = [*TITLE_FIELDS, *KEYWORDS_FOLDED, *NAME_FIELDS]
SHINGLE_FIELDS = ["title_folded.shingles", "keywords_folded.shingles"]
SUGGEST_FIELDS = ["title_suggest", "title_suggest._2gram", "title_suggest._3gram"]
SOURCE_FIELDS = [
    "id",
    "code",
    "province",
    "title",
    "url",
    "agency_name",
    "field_name",
    "level",
    "status",
    "body",
]
SORT = ["_score", {"popularity": {"order": "desc"}}, {"code": {"order": "asc"}}, {"id": "asc"}]

# Highlight tags Elasticsearch puts around matches: private-use characters, so that the snippet
# can be escaped as a whole and only then given its <mark> elements.
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"


def _tier(query: Query, score: int) -> Query:
    return Q("constant_score", filter=query, boost=score)


def _all_words(fields: list[str], words: list[str]) -> Query:
    """Every word in one of these fields; the last one may be a prefix (still being typed)
    when it has text.MIN_PREFIX letters."""
    *complete, last = words
    must = [Q("multi_match", query=word, fields=fields) for word in complete]
    if len(last) >= text.MIN_PREFIX:
        must.append(Q("multi_match", query=last, fields=fields, type="bool_prefix"))
    else:
        must.append(Q("multi_match", query=last, fields=fields))
    return Q("bool", must=must)


def _fuzzy_words(words: list[str]) -> Query:
    return Q(
        "bool",
        must=[
            Q(
                "multi_match",
                query=word,
                fields=FUZZY_FIELDS,
                fuzziness="AUTO:3,7",  # as the database backend: 1 typo from 3 letters, 2 from 7
                max_expansions=50,
            )
            if len(word) <= MAX_FUZZY_LENGTH
            else Q("multi_match", query=word, fields=FUZZY_FIELDS)
            for word in words
        ],
    )


def ranked_query(parsed: text.ParsedQuery, phrases: list[str]) -> Query:
    """The scoring query for a parsed query (filters are added by ProcedureSearch)."""
    words = parsed.words_folded
    if not words:
        return Q("match_none")
    tiers: list[Query] = []
    if parsed.code:
        code = {"value": parsed.code, "case_insensitive": True}
        tiers.append(_tier(Q("term", code=code), CODE))
        tiers.append(_tier(Q("prefix", code=code), CODE_PREFIX))
    if parsed.accented and parsed.exact:
        typing = len(words[-1]) >= text.MIN_PREFIX  # the last word may be a prefix
        kind = "match_phrase_prefix" if typing else "match_phrase"
        for field in ("title_exact", "keywords_exact"):
            phrase = Q(kind, **{field: {"query": parsed.exact}})
            tiers.append(_tier(phrase, ACCENTED_PHRASE))
    for phrase in phrases[:MAX_PHRASES]:
        folded = text.fold(phrase)
        if folded:
            fields = [*TITLE_FIELDS, *KEYWORDS_FOLDED]
            found = Q("multi_match", query=folded, type="phrase", fields=fields)
            tiers.append(_tier(found, SYNONYM_PHRASE))
    tiers += [
        _tier(_all_words(TITLE_FIELDS, words), TITLE_ALL_WORDS),
        _tier(_all_words(KEYWORDS_FOLDED, words), KEYWORDS_ALL_WORDS),
        _tier(_all_words(NAME_FIELDS, words), NAMES_ALL_WORDS),
        _tier(_all_words(ALL_FIELDS, words), ALL_WORDS),
    ]
    pairs = text.shingles(words)
    if pairs:
        most_pairs = [
            Q(
                "bool",
                should=[Q("match", **{field: pair}) for pair in pairs],
                minimum_should_match="2<67%",
            )
            for field in SHINGLE_FIELDS
        ]
        tiers.append(_tier(Q("bool", should=most_pairs, minimum_should_match=1), SHINGLES))
    tiers.append(_tier(_fuzzy_words(words), FUZZY))

    bonuses: list[Query] = [
        _tier(Q("match", **{"title_folded.shingles": pair}), SHINGLE_BONUS) for pair in pairs
    ]
    if parsed.accented:
        bonuses += [
            _tier(Q("match", title_exact=word), ACCENTED_WORD_BONUS) for word in parsed.words_exact
        ]
    bonuses.append(
        Q(
            "multi_match",
            query=parsed.folded,
            fields=WEIGHTED_FIELDS,
            type="best_fields",
            tie_breaker=0.3,
        )
    )
    return Q(
        "function_score",
        query=Q("bool", must=[Q("dis_max", queries=tiers)], should=bonuses),
        functions=[
            {
                "field_value_factor": {
                    "field": "popularity",
                    "modifier": "log1p",
                    "factor": 1,
                    "missing": 0,
                }
            }
        ],
        score_mode="sum",
        boost_mode="sum",
    )


def filters(query: SearchQuery) -> list[Query]:
    """Status (active unless asked), province and the facet filters: filter context only."""
    clauses = []
    if query.status != STATUS_ALL:
        clauses.append(Q("term", status=query.status or STATUS_ACTIVE))
    if query.province:
        clauses.append(Q("term", province=query.province))
    if query.agency:
        clauses.append(Q("term", agency_code={"value": query.agency, "case_insensitive": True}))
    if query.field:
        clauses.append(Q("term", field_code=query.field))
    if query.tier:
        clauses.append(Q("term", tiers=query.tier))
    if query.level:
        clauses.append(Q("term", level=int(query.level)))
    return clauses


def _highlight_words(parsed: text.ParsedQuery, phrases: list[str]) -> list[str]:
    """Folded words to mark in the display title. Elasticsearch folds "ký" to "ky" where
    search.text writes "ki", so both spellings are asked for."""
    words = list(parsed.words_folded)
    for phrase in phrases[:MAX_PHRASES]:
        words += text.fold(phrase).split()
    variants = [w[:-1] + "y" for w in words if re.fullmatch(r"[b-df-hj-np-tv-z]+i", w)]
    return list(dict.fromkeys(words + variants))


def highlight_query(parsed: text.ParsedQuery, phrases: list[str]) -> dict:
    words = parsed.words_folded
    should = [Q("match", title=" ".join(_highlight_words(parsed, phrases)))]
    if len(words[-1]) >= text.MIN_PREFIX:  # the last word may be a prefix
        should.append(Q("match_bool_prefix", title=" ".join(words)))
    return Q("bool", should=should).to_dict()


class LabelledTermsFacet(TermsFacet):
    """A terms facet whose buckets also carry a display label (the first value of another
    field: the agency or field name beside its code)."""

    def __init__(self, label_field: str | None = None, **kwargs):
        self.label_field = label_field
        super().__init__(**kwargs)

    def get_aggregation(self):
        aggregation = super().get_aggregation()
        if self.label_field:
            aggregation.bucket("label", "terms", field=self.label_field, size=1)
        return aggregation


class ProcedureSearch(FacetedSearch):
    """A citizen's search: the tiered query, filters in filter context, facets over every
    matching procedure (after all filters, as the database backend counts them), highlights and a
    "did you mean" suggester."""

    facets = {
        "agency": LabelledTermsFacet(field="agency_code", label_field="agency_name", size=100),
        "field": LabelledTermsFacet(field="field_code", label_field="field_name", size=100),
        "tier": TermsFacet(field="tiers", size=10),
        "level": TermsFacet(field="level", size=10),
    }

    def __init__(
        self,
        request: SearchQuery,
        parsed: text.ParsedQuery,
        phrases: list[str],
        *,
        index: str,
        using=None,
    ):
        self.index = index
        self.using = using if using is not None else "default"
        self.request = request
        self.parsed = parsed
        self.phrases = phrases
        super().__init__(query=parsed.folded, sort=SORT)

    def search(self) -> Search:
        s = super().search()
        for clause in filters(self.request):
            s = s.filter(clause)
        s = s.source(includes=SOURCE_FIELDS).extra(track_total_hits=True)
        if not self.parsed.words_folded:
            return s
        s = s.highlight(
            "title",
            number_of_fragments=0,
            pre_tags=[MARK_OPEN],
            post_tags=[MARK_CLOSE],
            highlight_query=highlight_query(self.parsed, self.phrases),
        )
        if all(len(w) <= MAX_FUZZY_LENGTH for w in self.parsed.words_folded):
            s = s.suggest(
                "did_you_mean",
                self.parsed.folded,
                phrase={
                    "field": "title_folded.trigrams",
                    "size": 1,
                    "gram_size": 3,
                    "max_errors": 2,
                    "direct_generator": [
                        {"field": "title_folded.trigrams", "suggest_mode": "always"}
                    ],
                },
            )
        return s

    def query(self, search: Search, query) -> Search:
        return search.query(ranked_query(self.parsed, self.phrases))

    def to_dict(self) -> dict:
        """The request body, for tests and debugging."""
        return self._s.to_dict()


def build_query(
    query: SearchQuery,
    phrases: list[str] | None = None,
    *,
    prefix: str = DEFAULT_PREFIX,
    using=None,
) -> ProcedureSearch:
    """The search request for a query: a pure function of its input (no server needed;
    `.to_dict()` gives the body). `phrases` are the synonym phrases; by default the built-in
    ones (search.synonyms.expand); the backend passes the editors' ones too."""
    parsed = text.parse_query(query.text)
    if phrases is None:
        phrases = expand(parsed)
    search = ProcedureSearch(
        query, parsed, phrases, index=alias_name(prefix, query.province), using=using
    )
    size = min(max(int(query.page_size or 20), 1), MAX_PAGE_SIZE)
    start = min((max(int(query.page or 1), 1) - 1) * size, MAX_PAGED_RESULTS)
    search = search[start : min(start + size, MAX_PAGED_RESULTS)]
    if query.province:  # a province with nothing indexed has no alias: no results, not an error
        search.params(ignore_unavailable=True)
    return search


def build_suggest(
    prefix_text: str,
    province: str | None = None,
    limit: int = 10,
    *,
    prefix: str = DEFAULT_PREFIX,
    using=None,
) -> Search:
    """Autocomplete: active titles containing every word typed, the last one as a prefix
    (search_as_you_type), titles that start with the text first, then popular ones."""
    parsed = text.parse_query(prefix_text)
    s = Search(using=using if using is not None else "default", index=alias_name(prefix, province))
    if not parsed.words_folded:
        return s.query(Q("match_none"))[:0]
    starts = Q("prefix", **{"title_folded.raw": parsed.folded})
    query = Q(
        "bool",
        must=[
            Q(
                "multi_match",
                query=parsed.folded,
                type="bool_prefix",
                operator="and",
                fields=SUGGEST_FIELDS,
            )
        ],
        should=[_tier(starts, 100)],
        filter=[Q("term", status=STATUS_ACTIVE)]
        + ([Q("term", province=province)] if province else []),
    )
    s = s.query(
        Q(
            "function_score",
            query=query,
            functions=[
                {"field_value_factor": {"field": "popularity", "modifier": "log1p", "missing": 0}}
            ],
            boost_mode="sum",
        )
    )
    s = s.source(includes=["code", "province", "title", "url"]).sort(*SORT)
    if province:
        s = s.params(ignore_unavailable=True)
    return s[: min(max(int(limit or 10), 1), 50)]


# --- responses -------------------------------------------------------------------------------


def safe_highlight(fragment: str) -> str:
    """An Elasticsearch highlight as HTML: everything escaped, only <mark> added."""
    escaped = html.escape(fragment, quote=True)
    return escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


def facets_from(aggregations: dict) -> dict[str, list[FacetValue]]:
    """FacetValue lists from the aggregations FacetedSearch adds (`_filter_<facet>.<facet>`)."""
    result = {}
    for facet in FACETS:
        buckets = aggregations.get(f"_filter_{facet}", {}).get(facet, {}).get("buckets", [])
        values = []
        for bucket in buckets:
            value = bucket["key"]
            labels = bucket.get("label", {}).get("buckets", [])
            label = facet_label(facet, value, labels[0]["key"] if labels else None)
            values.append(FacetValue(str(value), label, int(bucket["doc_count"])))
        result[facet] = sorted(values, key=lambda f: (-f.count, f.label))
    return result


def _total(hits: dict) -> int:
    total = hits.get("total", 0)
    return int(total.get("value", 0) if isinstance(total, dict) else total)


def results_from(body: dict, parsed: text.ParsedQuery, backend: str) -> SearchResults:
    """SearchResults from a search response body."""
    hits = []
    for raw in body.get("hits", {}).get("hits", []):
        source = raw.get("_source", {})
        fragments = raw.get("highlight", {}).get("title", [])
        title = source.get("title", "")
        hits.append(
            Hit(
                id=int(source["id"]),
                code=source.get("code", ""),
                province=source.get("province", ""),
                title=title,
                url=source.get("url", ""),
                agency=source.get("agency_name", ""),
                field=source.get("field_name", ""),
                level=source.get("level") or 0,
                status=source.get("status", ""),
                score=float(raw.get("_score") or 0.0),
                highlight=safe_highlight(fragments[0])
                if fragments
                else text.highlight(title, parsed),
                snippet=text.snippet(source.get("body", ""), parsed),
            )
        )
    total = _total(body.get("hits", {}))
    suggestion = None
    if total == 0:
        for entry in body.get("suggest", {}).get("did_you_mean", []):
            for option in entry.get("options", []):
                if option.get("text") and option["text"] != parsed.folded:
                    suggestion = option["text"]
                    break
            if suggestion:
                break
    return SearchResults(
        hits=hits,
        total=total,
        facets=facets_from(body.get("aggregations", {})),
        suggestion=suggestion,
        backend=backend,
    )


def _body(response) -> dict:
    """The JSON of a client response (ObjectApiResponse, dsl Response or a plain dict)."""
    if hasattr(response, "to_dict"):
        return response.to_dict()
    return dict(getattr(response, "body", response) or {})


def _editor_synonyms() -> list:
    from .database import editor_synonyms

    return editor_synonyms()


# --- the backend -----------------------------------------------------------------------------


class ElasticsearchBackend(SearchBackend):
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
        """`client`: an Elasticsearch client (tests pass a fake one). `synonyms`: returns the
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
            for index, info in _body(response).items()
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
        self.client.delete_by_query(
            index=self.prefix,
            query=Q("bool", should=stale, minimum_should_match=1).to_dict(),
            conflicts="proceed",
            refresh=bool(self.refresh),
            ignore_unavailable=True,
            allow_no_indices=True,
        )

    def _bulk(self, batch: list[tuple[str, dict]], refresh: bool | str = False) -> int:
        operations: list[dict] = []
        for index, document in batch:
            operations.append({"index": {"_index": index, "_id": str(document["id"])}})
            operations.append(source_for(document))
        body = _body(self.client.bulk(operations=operations, refresh=refresh))
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
        if not ids:
            return
        try:
            self.client.delete_by_query(
                index=self.prefix,
                query={"terms": {"id": ids}},
                conflicts="proceed",
                refresh=bool(self.refresh),
                ignore_unavailable=True,
                allow_no_indices=True,
            )
        except NotFoundError:
            return  # nothing indexed yet

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

    # --- reading -----------------------------------------------------------------------------

    def build_query(self, query: SearchQuery, phrases: list[str] | None = None) -> ProcedureSearch:
        return build_query(query, phrases, prefix=self.prefix, using=self.client)

    def search(self, query: SearchQuery) -> SearchResults:
        parsed = text.parse_query(query.text)
        if not parsed.words_folded:
            return SearchResults(hits=[], total=0, backend=self.name)
        phrases = expand(parsed, self.synonyms())
        request = self.build_query(query, phrases)
        try:
            response = request.execute()
        except ELASTICSEARCH_ERRORS as error:
            raise SearchUnavailable(f"Elasticsearch: {error}") from error
        return results_from(_body(response), parsed, self.name)

    def suggest(
        self, prefix: str, province: str | None = None, limit: int = 10
    ) -> list[Suggestion]:
        parsed = text.parse_query(prefix)
        if not parsed.words_folded:
            return []
        request = build_suggest(prefix, province, limit, prefix=self.prefix, using=self.client)
        try:
            body = _body(request.execute())
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
