"""The forms pages (/bieu-mau/) as catalog serves them: the library's own pages, plus the
procedures that use each form and a filter by province."""

from django.db.models import QuerySet

from cms.ordering import by_shown
from forms_library import views as library
from forms_library.models import FormDocument

from .form_citations import citing_procedure_ids, forms_cited_by
from .models import ProcedurePage, ProvincePage


class FormsIndexView(library.FormsIndexView):
    filter_names = (*library.FormsIndexView.filter_names, "province")

    def filter_forms(self, forms: QuerySet, chosen: dict[str, str]) -> QuerySet:
        forms = super().filter_forms(forms, chosen)
        if chosen["province"]:
            forms = forms.filter(pk__in=forms_cited_by(province__code=chosen["province"]))
        return forms

    def procedure_counts(self, forms: list[FormDocument]) -> dict[int, int]:
        citing = citing_procedure_ids([form.pk for form in forms])
        return {form_id: len(page_ids) for form_id, page_ids in citing.items()}

    def get_context_data(self, **kwargs) -> dict:
        provinces = ProvincePage.objects.live().order_by(by_shown("title"))
        return {**super().get_context_data(**kwargs), "provinces": provinces}


class FormDetailView(library.FormDetailView):
    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        page_ids = citing_procedure_ids([context["form"].pk])[context["form"].pk]
        procedures = ProcedurePage.objects.filter(pk__in=page_ids)
        procedures = procedures.order_by(by_shown("province__title"), "code")
        context["procedures"] = procedures.select_related("province", "agency")
        return context
