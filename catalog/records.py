"""The one public record of a procedure.

The feed API, the search index, the exports, the Atom feed and the JSON-LD are all views of the
dictionary built here; none of them reads a ProcedurePage's fields on its own.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import translation
from wagtail.models import ModelLogEntry, PageLogEntry, Site

from forms_library.records import form_record, is_public

from .blocks import CHANNEL_LABELS
from .levels import LEVEL_2022_LABELS, level_label
from .models import AgencyPage, Field, ProcedurePage, ProvincePage, RoadmapTarget, Subject


def public_procedures(include_drafts: bool = False) -> QuerySet[ProcedurePage]:
    """Procedures with everything the public record reads, fetched in a fixed number of queries."""
    qs = ProcedurePage.objects.all() if include_drafts else ProcedurePage.objects.live().public()
    # Province, agency and field are prefetched, not joined: a page of results names a few of
    # each, and every joined row would build its own copy of a wide translated page model.
    return qs.select_related("successor").prefetch_related(
        "province",
        "agency",
        "field",
        "co_agencies",
        "subjects",
        "life_events",
        Prefetch("related_procedures", queryset=ProcedurePage.objects.only("code")),
        Prefetch("roadmap_targets", queryset=RoadmapTarget.objects.order_by("sort_order")),
    )


def catalogue_last_changed() -> datetime.datetime | None:
    """When any procedure was last created, changed, published, unpublished, moved or deleted,
    or an agency, province, field or subject a record names was (renamed, re-slugged): every
    such action leaves an entry in Wagtail's history."""
    pages = ContentType.objects.get_for_models(ProcedurePage, AgencyPage, ProvincePage)
    snippets = ContentType.objects.get_for_models(Field, Subject)
    changes = [
        PageLogEntry.objects.filter(content_type__in=pages.values()),
        ModelLogEntry.objects.filter(content_type__in=snippets.values()),
    ]
    last = [entries.aggregate(last=Max("timestamp"))["last"] for entries in changes]
    return max(filter(None, last), default=None)


def site_province(request: HttpRequest) -> ProvincePage | None:
    """The province whose own portal (a Wagtail site rooted at its page) serves this request."""
    site = Site.find_for_request(request)
    root = site.root_page.specific if site else None
    return root if isinstance(root, ProvincePage) else None


def _ref(obj, name_attr: str = "title") -> dict | None:
    if obj is None:
        return None
    return {"code": obj.code, "name": getattr(obj, name_attr)}


def _steps(page: ProcedurePage) -> list[dict]:
    return [
        {"number": n, "title": block.value["title"], "description": block.value["description"]}
        for n, block in enumerate(page.steps, start=1)
    ]


def _channels(page: ProcedurePage) -> list[dict]:
    return [
        {
            "channel": block.value["channel"],
            "channel_label": str(CHANNEL_LABELS.get(block.value["channel"], "")),
            "processing_time": block.value["processing_time"],
            "fee": block.value["fee"],
            "description": block.value["description"],
        }
        for block in page.channels
    ]


def _form(document, request: HttpRequest | None) -> dict | None:
    """A form in a restricted collection is not part of the public record."""
    if document is None or not is_public(document):
        return None
    return form_record(document, request)


def _documents(page: ProcedurePage, request: HttpRequest | None) -> list[dict]:
    cases = []
    for block in page.documents:
        items = [
            {
                "name": item["name"],
                "originals": item["originals"],
                "copies": item["copies"],
                "form_code": item["form_code"],
                "form": _form(item["form"], request),
            }
            for item in block.value["documents"]
        ]
        cases.append({"case": block.value["case"], "documents": items})
    return cases


def _forms(documents: list[dict]) -> list[dict]:
    seen, forms = set(), []
    for case in documents:
        for item in case["documents"]:
            form = item["form"]
            if form and form["file_url"] not in seen:
                seen.add(form["file_url"])
                forms.append(form)
    return forms


def _legal_basis(page: ProcedurePage) -> list[dict]:
    return [
        {
            "number": block.value["number"],
            "summary": block.value["summary"],
            "date": block.value["date"].isoformat() if block.value["date"] else None,
            "issuer": block.value["issuer"],
            "url": block.value["url"] or None,
        }
        for block in page.legal_basis
    ]


def _roadmap(page: ProcedurePage) -> list[dict]:
    return [
        {
            "target_level": target.target_level,
            "due_year": target.due_year,
            "due_date": target.due_date.isoformat() if target.due_date else None,
            "source_decision": target.source_decision,
            "status": target.status(),
        }
        for target in page.roadmap_targets.all()
    ]


def procedure_record(
    page: ProcedurePage, request: HttpRequest | None = None, lang: str | None = None
) -> dict:
    """The public record of one procedure, in `lang` (default: the active language)."""
    with translation.override(lang or translation.get_language() or "vi"):
        url = (
            page.get_full_url(request) if request is None else request.build_absolute_uri(page.url)
        )
        documents = _documents(page, request)
        return {
            "code": page.code,
            "title": page.official_title,
            "province": _ref(page.province),
            "url": url,
            "agency": _ref(page.agency),
            "co_agencies": [_ref(a) for a in page.co_agencies.all()],
            "field": _ref(page.field, "name"),
            "tiers": page.tiers,
            "procedure_type": page.procedure_type,
            "level": page.level,
            "level_label": level_label(page.level),
            "level_2022_label": str(LEVEL_2022_LABELS[page.level]),
            "submission_url": page.submission_url or None,
            "start_button_text": page.start_button_text,
            "continues_on": page.continues_on,
            "other_ways": page.other_ways,
            "online_payment": page.online_payment,
            "downtime_notice": page.downtime_notice,
            "processing_time": page.processing_time,
            "fee": page.fee,
            "subjects": [s.name for s in page.subjects_in_reading_order()],
            "steps": _steps(page),
            "channels": _channels(page),
            "documents": documents,
            "forms": _forms(documents),
            "competent_agency": page.competent_agency,
            "authorised_agency": page.authorised_agency,
            "receiving_address": page.receiving_address,
            "result": page.result,
            "legal_basis": _legal_basis(page),
            "requirements": page.requirements,
            "decision": page.decision,
            "keywords": page.keyword_list,
            "description": page.description,
            "life_events": [_ref(e, "name") for e in page.life_events.all()],
            "related_procedures": [p.code for p in page.related_procedures.all()],
            "roadmap": _roadmap(page),
            "status": page.status,
            "abolished_on": page.abolished_on.isoformat() if page.abolished_on else None,
            "abolishing_decision": page.abolishing_decision,
            "successor": page.successor.code if page.successor else None,
            "is_sample_content": page.is_sample_content,
            "last_published_at": page.last_published_at.isoformat()
            if page.last_published_at
            else None,
        }
