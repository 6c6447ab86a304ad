"""The public record of a form: what the procedure record, the forms API and the forms pages show.

Forms in a collection with a view restriction are not public: they are left out of every list
and Wagtail's own check guards their downloads."""

import time
from collections import Counter
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, ReferenceIndex

from .models import FormDocument, FormDownloadDay, FormVersion

# Collections under a view restriction, kept a short while: every procedure record asks. A
# restriction saved in this process clears it at once (signal_handlers); other processes see
# it within HIDDEN_SECONDS.
HIDDEN_SECONDS = 30
RECENT_DAYS = 90  # the downloads a procedure's popularity counts
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


def _references_to_forms() -> QuerySet[ReferenceIndex]:
    """Links from procedure pages to forms, in Wagtail's reference index (kept up to date on
    every page save and by bulk imports)."""
    from catalog.models import ProcedurePage

    return ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(FormDocument),
        content_type=ContentType.objects.get_for_model(ProcedurePage),
    )


def citing_procedure_ids(form_ids: list[int]) -> dict[int, set[int]]:
    """For each form, the published procedures whose required documents link it."""
    from catalog.records import public_procedures

    references = _references_to_forms().filter(to_object_id__in=[str(pk) for pk in form_ids])
    references = references.values_list("to_object_id", "object_id")
    citing: dict[int, set[int]] = {pk: set() for pk in form_ids}
    for form_id, page_id in references:
        citing[int(form_id)].add(int(page_id))
    published = public_procedures().filter(pk__in=set().union(*citing.values()))
    live = set(published.values_list("pk", flat=True))
    return {form_id: page_ids & live for form_id, page_ids in citing.items()}


def forms_cited_by(**procedure_lookups) -> list[int]:
    """The forms the published procedures matching these lookups link
    (forms_cited_by(province__code="lam-dong"))."""
    from catalog.records import public_procedures

    page_ids = public_procedures().filter(**procedure_lookups).values_list("pk", flat=True)
    page_keys = [str(pk) for pk in page_ids]
    references = _references_to_forms().filter(object_id__in=page_keys)
    return sorted({int(pk) for pk in references.values_list("to_object_id", flat=True)})


def recent_downloads_by_procedure(page_ids: Iterable[int]) -> dict[int, int]:
    """For each of these procedures, the downloads of the forms it links over the last
    RECENT_DAYS days, each form's shared among the procedures that link it: how much citizens
    use it (search ranks the more used first among equals), rounded. Procedures without
    downloads are left out."""
    references = _references_to_forms().filter(object_id__in=[str(pk) for pk in page_ids])
    links = {
        (int(page), int(form)) for page, form in references.values_list("object_id", "to_object_id")
    }
    forms = {form for _, form in links}
    since = timezone.localdate() - timedelta(days=RECENT_DAYS - 1)
    recent = FormDownloadDay.objects.filter(form__in=forms, day__gte=since).values_list("form")
    downloads = dict(recent.annotate(total=Sum("count")))
    citing = _references_to_forms().filter(to_object_id__in=[str(pk) for pk in downloads])
    citers = Counter(int(form) for form, _ in set(citing.values_list("to_object_id", "object_id")))
    popularity: Counter = Counter()
    for page, form in links:
        if form in downloads:
            popularity[page] += downloads[form] / citers[form]
    return {page: round(total) for page, total in popularity.items()}
