"""The requests a search and an autocomplete send: the tiered ranking query, filters, facets
and the "did you mean" suggester (elasticsearch-dsl). Highlights are search.text's, as for the
database backend."""

from elasticsearch.dsl import FacetedSearch, Q, Search, TermsFacet
from elasticsearch.dsl.query import Query

from ... import ranking, text
from ...synonyms import expand
from ..base import MAX_PAGED_RESULTS, STATUS_ACTIVE, STATUS_ALL, SearchQuery
from .indices import DEFAULT_PREFIX, alias_name

MAX_PAGE_SIZE = 100
MAX_PHRASES = 10  # synonym phrases used per query
MAX_FUZZY_LENGTH = 30  # longer "words" are matched exactly (no typo automaton on junk input)

# --- ranking ---------------------------------------------------------------------------------

# The tiers and bonuses of search.ranking, shared with the database backend: a procedure scores
# its best tier (dis_max of constant scores) plus bonuses that never reach the next tier. Scores
# are whole numbers, exact in Elasticsearch's 32-bit floats; popularity (stored capped, as the
# database counts it) then the shorter title then the code order equal scores, as the database
# backend's popularity share and tie-breaks do.

TITLE_FIELDS = ["title_folded"]
KEYWORDS_FOLDED = ["keywords_folded"]
NAME_FIELDS = ["agency_folded", "field_folded"]
ALL_FIELDS = [*TITLE_FIELDS, *KEYWORDS_FOLDED, *NAME_FIELDS, "body_folded"]
FUZZY_FIELDS = [*TITLE_FIELDS, *KEYWORDS_FOLDED, *NAME_FIELDS]
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
SORT = [
    "_score",
    {"popularity": "desc"},
    {"title_length": "asc"},
    {"code": "asc"},
    {"id": "asc"},
]


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


def _corrected_words(words: list[str], typos: set[str]) -> Query:
    """The words the index does not know within `AUTO:3,7` edits in the title, keywords or
    names (1 typo from 3 letters, 2 from 7, as the database corrects them); the others as
    they are, anywhere."""
    must = []
    for word in words:
        if word in typos and len(word) <= MAX_FUZZY_LENGTH:
            fuzzy = {"fuzziness": "AUTO:3,7", "max_expansions": 50}
            must.append(Q("multi_match", query=word, fields=FUZZY_FIELDS, **fuzzy))
        else:
            must.append(Q("multi_match", query=word, fields=ALL_FIELDS))
    return Q("bool", must=must)


def ranked_query(
    parsed: text.ParsedQuery,
    phrases: list[str],
    any_words: bool = False,
    typos: frozenset[str] = frozenset(),
) -> Query:
    """The scoring query for a parsed query (filters are added by ProcedureSearch). With
    `typos`, the words the index does not know corrected (asked only when nothing matched, as
    the database backend corrects words only then); with `any_words`, the second pass of
    search.backends.never_empty: procedures holding any of the words, each word ONE_WORD."""
    words = parsed.words_folded
    if not words:
        return Q("match_none")
    if any_words:
        best = _words_held(words)
    elif typos:
        best = _tier(_corrected_words(words, typos), ranking.FUZZY)
    else:
        best = Q("dis_max", queries=_tiers(parsed, phrases))
    return Q("bool", must=[best], should=_bonuses(parsed, any_words))


def _tiers(parsed: text.ParsedQuery, phrases: list[str]) -> list[Query]:
    words = parsed.words_folded
    tiers: list[Query] = []
    if parsed.code:
        code = {"value": parsed.code, "case_insensitive": True}
        tiers.append(_tier(Q("prefix", code=code), ranking.CODE))
    if parsed.accented and parsed.exact:
        typing = len(words[-1]) >= text.MIN_PREFIX  # the last word may be a prefix
        kind = "match_phrase_prefix" if typing else "match_phrase"
        for field in ("title_exact", "keywords_exact"):
            phrase = Q(kind, **{field: {"query": parsed.exact}})
            tiers.append(_tier(phrase, ranking.ACCENTED_PHRASE))
    for index, phrase in enumerate(phrases[:MAX_PHRASES]):
        folded = text.fold(phrase)
        if folded:
            fields = [*TITLE_FIELDS, *KEYWORDS_FOLDED]
            found = Q("multi_match", query=folded, type="phrase", fields=fields)
            score = ranking.SYNONYM_FIRST if index == 0 else ranking.SYNONYM_PHRASE
            tiers.append(_tier(found, score))
    tiers += [
        _tier(_all_words(TITLE_FIELDS, words), ranking.TITLE_ALL_WORDS),
        _tier(_all_words(KEYWORDS_FOLDED, words), ranking.KEYWORDS_ALL_WORDS),
        _tier(_all_words(ALL_FIELDS, words), ranking.ALL_WORDS),
    ]
    return tiers


def _words_held(words: list[str]) -> Query:
    """ONE_WORD for each distinct word found anywhere (the last one may be a prefix)."""
    held = []
    for word in dict.fromkeys(words):
        typing = word == words[-1] and len(word) >= text.MIN_PREFIX
        kind = "bool_prefix" if typing else "best_fields"
        held.append(
            _tier(Q("multi_match", query=word, fields=ALL_FIELDS, type=kind), ranking.ONE_WORD)
        )
    return Q("bool", should=held, minimum_should_match=1)


def _bonuses(parsed: text.ParsedQuery, any_words: bool = False) -> list[Query]:
    """Word pairs in the title, accented words in the exact title, words in the title; in the
    second pass a pair in the title is worth a word held (search.ranking)."""
    words = parsed.words_folded
    pair_score = ranking.ONE_WORD if any_words else ranking.SHINGLE
    bonuses = [
        _tier(Q("match_phrase", title_folded=pair), pair_score) for pair in text.shingles(words)
    ]
    if parsed.accented:
        bonuses += [
            _tier(Q("term", title_exact=word), ranking.ACCENTED_WORD) for word in parsed.words_exact
        ]
    bonuses += [_tier(Q("term", title_folded=word), ranking.WORD_IN_TITLE) for word in words]
    return bonuses


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
    matching procedure (after all filters, as the database backend counts them) and a "did you
    mean" suggester."""

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
        typos: frozenset[str] = frozenset(),
    ):
        self.index = index
        self.typos = typos
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
        return search.query(
            ranked_query(self.parsed, self.phrases, self.request.any_words, self.typos)
        )

    def to_dict(self) -> dict:
        """The request body, for tests and debugging."""
        return self._s.to_dict()


def build_query(
    query: SearchQuery,
    phrases: list[str] | None = None,
    *,
    prefix: str = DEFAULT_PREFIX,
    using=None,
    typos: frozenset[str] = frozenset(),
) -> ProcedureSearch:
    """The search request for a query: a pure function of its input (no server needed;
    `.to_dict()` gives the body). `phrases` are the synonym phrases; by default the built-in
    ones (search.synonyms.expand); the backend passes the editors' ones too. `typos`: the words
    to correct (see ranked_query)."""
    parsed = text.parse_query(query.text)
    if phrases is None:
        phrases = expand(parsed)
    search = ProcedureSearch(
        query,
        parsed,
        phrases,
        index=alias_name(prefix, query.province),
        using=using,
        typos=typos,
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
