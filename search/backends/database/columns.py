"""The shadow columns of a SearchEntry: a search document, normalised and folded once, when it
is indexed."""

import re

from ... import text


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
