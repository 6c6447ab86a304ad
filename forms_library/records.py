"""The public record of a form: what the procedure record, the forms API and the forms pages show.
What cites a form is the citing room's business (catalog.form_citations).

Forms in a collection with a view restriction are not public: they are left out of every list
and Wagtail's own check guards their downloads."""

import time

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction

from .models import FormDocument, FormVersion

# Collections under a view restriction, kept a short while: every procedure record asks. A
# restriction saved in this process clears it at once (signal_handlers); other processes see
# it within HIDDEN_SECONDS.
HIDDEN_SECONDS = 30
_hidden: dict = {}


def hidden_collection_ids() -> frozenset[int]:
    if _hidden.get("until", 0) < time.monotonic():
        paths = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
        ids = set()
        for path in paths:
            ids |= set(
                Collection.objects.filter(path__startswith=path).values_list("pk", flat=True)
            )
        _hidden.update(ids=frozenset(ids), until=time.monotonic() + HIDDEN_SECONDS)
    return _hidden["ids"]


def forget_hidden_collections(**kwargs) -> None:
    _hidden.clear()


def is_public(form: FormDocument) -> bool:
    return form.collection_id not in hidden_collection_ids()


def public_forms() -> QuerySet[FormDocument]:
    forms = FormDocument.objects.exclude(collection__in=hidden_collection_ids())
    return forms.order_by("code", "title", "pk")


def _absolute(url: str, request: HttpRequest | None) -> str:
    return request.build_absolute_uri(url) if request else url


def form_record(form: FormDocument, request: HttpRequest | None = None) -> dict:
    """The facts a citizen needs before downloading: format, size, version, date, checksum."""
    return {
        "id": form.pk,
        "code": form.code,
        "title": form.localised_title,
        "file_url": _absolute(form.url, request),
        "filename": form.download_name,
        "format": form.format,
        "size_bytes": form.get_file_size(),
        "sha256": form.sha256,
        "page_count": form.page_count,
        "version": form.version,
        "effective_date": form.effective_date.isoformat() if form.effective_date else None,
        "legal_document": form.legal_document,
        "language": form.language,
        "is_sample": form.is_sample,
        "preview_url": _absolute(form.preview.url, request) if form.preview else None,
        "page_url": _absolute(reverse("form-detail", args=[form.pk]), request),
    }


def version_record(version: FormVersion, request: HttpRequest | None = None) -> dict:
    url = reverse("form-version", args=[version.form_id, version.pk, version.download_name])
    return {
        "version": version.version,
        "effective_date": version.effective_date.isoformat() if version.effective_date else None,
        "replaced_at": version.replaced_at.isoformat(),
        "title": version.title,
        "file_url": _absolute(url, request),
        "format": version.format,
        "size_bytes": version.file_size,
        "sha256": version.sha256,
    }
