"""How much citizens use a procedure: the recent downloads of the forms it links. Search ranks
the more used first among equals."""

from collections import Counter
from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from catalog.form_citations import references_to_forms
from forms_library.models import FormDownloadDay

RECENT_DAYS = 90  # the downloads a procedure's popularity counts


def recent_downloads_by_procedure(page_ids: Iterable[int]) -> dict[int, int]:
    """For each of these procedures, the downloads of the forms it links over the last
    RECENT_DAYS days, each form's shared among the procedures that link it, rounded.
    Procedures without downloads are left out."""
    references = references_to_forms().filter(object_id__in=[str(pk) for pk in page_ids])
    links = {
        (int(page), int(form)) for page, form in references.values_list("object_id", "to_object_id")
    }
    forms = {form for _, form in links}
    since = timezone.localdate() - timedelta(days=RECENT_DAYS - 1)
    recent = FormDownloadDay.objects.filter(form__in=forms, day__gte=since).values_list("form")
    downloads = dict(recent.annotate(total=Sum("count")))
    citing = references_to_forms().filter(to_object_id__in=[str(pk) for pk in downloads])
    citers = Counter(int(form) for form, _ in set(citing.values_list("to_object_id", "object_id")))
    popularity: Counter = Counter()
    for page, form in links:
        if form in downloads:
            popularity[page] += downloads[form] / citers[form]
    return {page: round(total) for page, total in popularity.items()}
