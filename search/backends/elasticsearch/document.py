"""The procedure in the index: an elasticsearch-dsl Document (its mapping and analysers) built
from one search document (search.documents.document_for), and the definition of a province
index holding it."""

import unicodedata

from elasticsearch.dsl import Document, Index, Integer, Keyword, MetaField, Text

from ... import text
from ...ranking import MAX_POPULARITY
from .analysis import VI_BIGRAMS, VI_EXACT, VI_FOLDED, VI_TRIGRAMS, VI_TRIGRAMS_ONLY

INDEX_SETTINGS = {"number_of_shards": 1, "auto_expand_replicas": "0-1"}
# Prefixes of the autocomplete field's terms, indexed as search_as_you_type does (that field type
# lives in the mapper-extras module, which a node assembled from Maven Central lacks).
PREFIXES = {"min_chars": 1, "max_chars": 19}


class ProcedureDocument(Document):
    """One procedure as a province index stores it. `title` and `title_en` are the display
    text; the *_exact and *_folded fields hold search.text's forms, so that both backends
    match the same words."""

    id = Integer()
    level = Integer()
    popularity = Integer()
    title_length = Integer()  # equal scores: the shorter title first, as the database ranks
    code = Keyword()
    province = Keyword()
    status = Keyword()
    tiers = Keyword(multi=True)
    agency_code = Keyword()
    agency_name = Keyword()
    field_code = Keyword()
    field_name = Keyword()
    url = Keyword(index=False, doc_values=False)
    title = Text(analyzer=VI_FOLDED)
    title_en = Text(analyzer=VI_FOLDED)
    title_exact = Text(analyzer=VI_EXACT, multi=True)
    title_folded = Text(
        analyzer=VI_FOLDED,
        multi=True,
        fields={
            "shingles": Text(analyzer=VI_BIGRAMS),
            "trigrams": Text(analyzer=VI_TRIGRAMS),
            "raw": Keyword(ignore_above=512),
        },
    )
    # Autocomplete: words with their prefixes, and word pairs and triples with theirs.
    title_suggest = Text(
        analyzer=VI_FOLDED,
        index_prefixes=PREFIXES,
        multi=True,
        fields={
            "_2gram": Text(analyzer=VI_BIGRAMS, index_prefixes=PREFIXES),
            "_3gram": Text(analyzer=VI_TRIGRAMS_ONLY, index_prefixes=PREFIXES),
        },
    )
    keywords_exact = Text(analyzer=VI_EXACT, multi=True)
    keywords_folded = Text(
        analyzer=VI_FOLDED, multi=True, fields={"shingles": Text(analyzer=VI_BIGRAMS)}
    )
    agency_folded = Text(analyzer=VI_FOLDED)
    field_folded = Text(analyzer=VI_FOLDED)
    body_folded = Text(analyzer=VI_FOLDED)
    body = Text(index=False)  # as written, for snippets

    class Meta:
        dynamic = MetaField("strict")

    @classmethod
    def from_search_document(cls, document: dict, index: str | None = None) -> "ProcedureDocument":
        """The stored form of one search document, in `index` (a province's)."""
        title = _nfc(document["title"])
        title_en = _nfc(document.get("title_en") or "")
        titles = [t for t in (title, title_en) if t]
        keywords = [
            k for k in (*document.get("keywords", []), *document.get("keywords_en", [])) if k
        ]
        return cls(
            meta={"id": str(document["id"]), **({"index": index} if index else {})},
            id=document["id"],
            code=document["code"],
            province=document["province"],
            url=document["url"],
            status=document["status"],
            level=document["level"],
            tiers=list(document["tiers"]),
            agency_code=document["agency_code"],
            agency_name=document["agency_name"],
            field_code=document["field_code"],
            field_name=document["field_name"],
            title=title,
            title_en=title_en,
            title_exact=[text.normalise(t) for t in titles],
            title_folded=[text.fold(t) for t in titles],
            title_suggest=[text.fold(t) for t in titles],
            keywords_exact=[text.normalise(k) for k in keywords],
            keywords_folded=[text.fold(k) for k in keywords],
            agency_folded=text.fold(document["agency_name"]),
            field_folded=text.fold(document["field_name"]),
            body_folded=text.fold(document["body"]),
            body=_nfc(document["body"]),
            popularity=min(int(document.get("popularity") or 0), MAX_POPULARITY),
            title_length=len(title),
        )


def index_definition(name: str, aliases: dict | None = None) -> Index:
    """A province index: its settings, analysis and the procedure mapping, with its aliases."""
    definition = Index(name)
    definition.settings(**INDEX_SETTINGS)
    definition.document(ProcedureDocument)
    if aliases:
        definition.aliases(**aliases)
    return definition


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value or "")
