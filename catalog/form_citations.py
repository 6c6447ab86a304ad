"""What cites a form: the published procedures whose required documents link it, read from
Wagtail's reference index (kept up to date on every page save and by bulk imports). The forms
library knows nothing of procedures, as wagtail.documents knows nothing of pages."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from wagtail.models import ReferenceIndex

from forms_library.models import FormDocument
from forms_library.records import is_public

from .models import ProcedurePage
from .records import public_procedures


def references_to_forms() -> QuerySet[ReferenceIndex]:
    """Links from procedure pages to forms in the reference index (object_id: the page,
    to_object_id: the form; both are strings there)."""
    return ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(FormDocument),
        content_type=ContentType.objects.get_for_model(ProcedurePage),
    )


def citing_procedure_ids(form_ids: list[int]) -> dict[int, set[int]]:
    """For each form, the published procedures whose required documents link it."""
    references = references_to_forms().filter(to_object_id__in=[str(pk) for pk in form_ids])
    references = references.values_list("to_object_id", "object_id")
    citing: dict[int, set[int]] = {pk: set() for pk in form_ids}
    for form_id, page_id in references:
        citing[int(form_id)].add(int(page_id))
    published = public_procedures().filter(pk__in=set().union(*citing.values()))
    live = set(published.values_list("pk", flat=True))
    return {form_id: page_ids & live for form_id, page_ids in citing.items()}


def citing_procedures(form_ids: list[int]) -> dict[int, list[dict]]:
    """The published procedures citing each form, as {province, code} pairs in that order."""
    citing = citing_procedure_ids(form_ids)
    pages = ProcedurePage.objects.filter(pk__in=set().union(*citing.values()))
    by_id = {
        pk: {"province": province, "code": code}
        for pk, province, code in pages.values_list("pk", "province__code", "code")
    }
    return {
        form_id: sorted((by_id[p] for p in ids), key=lambda r: tuple(r.values()))
        for form_id, ids in citing.items()
    }


def forms_cited_by(**procedure_lookups) -> list[int]:
    """The forms the published procedures matching these lookups link
    (forms_cited_by(province__code="lam-dong"))."""
    page_ids = public_procedures().filter(**procedure_lookups).values_list("pk", flat=True)
    page_keys = [str(pk) for pk in page_ids]
    references = references_to_forms().filter(object_id__in=page_keys)
    return sorted({int(pk) for pk in references.values_list("to_object_id", flat=True)})


def procedure_forms(page: ProcedurePage) -> list[FormDocument]:
    """The distinct public forms a procedure's documents link, in the order they are cited."""
    cited = [c["form"] for c in page.cited_forms() if c["form"] is not None]
    return list({f.pk: f for f in cited if is_public(f)}.values())
