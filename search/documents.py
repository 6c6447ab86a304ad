"""Search documents: what every backend indexes for a procedure, built from its public record."""

from django.utils.html import strip_tags

from catalog.models import ProcedurePage
from catalog.records import procedure_record, public_procedures

from .popularity import recent_downloads_by_procedure


def document_for(page: ProcedurePage, popularity: int = 0) -> dict:
    """The searchable view of one procedure: its (Vietnamese) public record, plus the English
    title and keywords editors entered, and its popularity (recent downloads of its forms)."""
    vi = procedure_record(page, lang="vi")
    english_keywords = [k.strip() for k in (page.keywords_en or "").split(";") if k.strip()]
    return {
        "id": page.pk,
        "code": vi["code"],
        "province": vi["province"]["code"] if vi["province"] else "",
        "url": page.get_url() or "",
        "status": vi["status"],
        "level": vi["level"],
        "tiers": vi["tiers"],
        "agency_code": vi["agency"]["code"] if vi["agency"] else "",
        "agency_name": vi["agency"]["name"] if vi["agency"] else "",
        "field_code": vi["field"]["code"] if vi["field"] else "",
        "field_name": vi["field"]["name"] if vi["field"] else "",
        "title": vi["title"],
        "title_en": page.full_title_en or page.title_en or "",
        "keywords": vi["keywords"],
        "keywords_en": [k for k in english_keywords if k not in vi["keywords"]],
        "body": body_text(vi),
        "popularity": popularity,
    }


def body_text(record: dict) -> str:
    """The record's prose, one paragraph a part, for full-text matching and snippets."""
    parts = [step["description"] for step in record["steps"]]
    for case in record["documents"]:
        parts += [case["case"], *(item["name"] for item in case["documents"])]
    parts += [
        record["result"],
        record["requirements"],
        record["processing_time"],
        record["fee"],
        "; ".join(record["subjects"]),
        strip_tags(record["description"]),
        "; ".join(d["summary"] or d["number"] for d in record["legal_basis"]),
    ]
    return "\n".join(part for part in parts if part)


def all_documents(batch_size: int = 500):
    """Every published procedure's document, read in batches (flat memory for any catalogue)."""
    ids = list(public_procedures().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        yield from documents_for_ids(ids[start : start + batch_size])


def documents_for_ids(ids) -> list[dict]:
    ids = list(ids)
    popularity = recent_downloads_by_procedure(ids)
    pages = public_procedures().filter(pk__in=ids)
    return [document_for(page, popularity.get(page.pk, 0)) for page in pages]


def documents_for_pages(pages: list[ProcedurePage]) -> list[dict]:
    """The documents of those of these pages that are public, read already as
    public_procedures(include_drafts=True) reads them."""
    ids = [page.pk for page in pages]
    public = set(public_procedures().filter(pk__in=ids).values_list("pk", flat=True))
    popularity = recent_downloads_by_procedure(ids)
    return [document_for(page, popularity.get(page.pk, 0)) for page in pages if page.pk in public]
