"""The procedure index's settings and mapping, and the source stored for one search document."""

import unicodedata

from elasticsearch.dsl import Index, Mapping
from elasticsearch.dsl.field import Integer, Keyword, SearchAsYouType, Text

from ... import text
from .analysis import VI_BIGRAMS, VI_EXACT, VI_FOLDED, VI_TRIGRAMS

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
