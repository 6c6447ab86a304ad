"""Procedure lists of the province, agency, field and life-event pages: a GET filter form (level,
tier, field, province, abolished) and pages of PER_PAGE rows, in a fixed number of queries."""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from cms.ordering import by_shown

from .levels import Level
from .models import Field, ProcedurePage, ProvincePage, Status, Tier, in_reading_order

PER_PAGE = 20
TIER_FLAGS = {
    Tier.PROVINCE: "tier_province",
    Tier.DISTRICT: "tier_district",
    Tier.COMMUNE: "tier_commune",
}
ALL = ("", _("Tất cả"))


def published_procedures() -> QuerySet[ProcedurePage]:
    """Live procedures no view restriction hides, abolished ones included."""
    return ProcedurePage.objects.live().public()


def active(procedures: QuerySet[ProcedurePage]) -> QuerySet[ProcedurePage]:
    return procedures.filter(status=Status.ACTIVE)


class AbolishedCheckbox(forms.CheckboxInput):
    """A checkbox that sends status=abolished (not "on") and reads it back as that string."""

    def __init__(self):
        super().__init__(check_test=lambda value: value == Status.ABOLISHED)

    def format_value(self, value) -> str:
        return Status.ABOLISHED

    def value_from_datadict(self, data, files, name) -> str:
        return data.get(name, "")


class ListingFilterForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Mức độ"), choices=[ALL, *Level.choices], coerce=int, required=False
    )
    tier = forms.ChoiceField(label=_("Cấp thực hiện"), required=False)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    province = forms.ChoiceField(label=_("Tỉnh"), required=False)
    status = forms.ChoiceField(
        label=_("Gồm cả thủ tục đã bãi bỏ"),
        choices=[ALL, (Status.ABOLISHED, Status.ABOLISHED.label)],
        widget=AbolishedCheckbox(),
        required=False,
    )

    def __init__(self, data: QueryDict, fields: list | None, tiers: list, provinces: list | None):
        """`fields` or `provinces` None: that filter is left out (a field's own page)."""
        super().__init__(data)
        if fields is None:
            del self.fields["field"]
        else:
            self.fields["field"].choices = [ALL, *fields]
        self.fields["tier"].choices = [ALL, *tiers]
        if provinces is None:
            del self.fields["province"]
        else:
            self.fields["province"].choices = [ALL, *provinces]

    def chosen(self) -> dict:
        """The valid filters; an invalid value is dropped (and `has_invalid` says so)."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in ("", None) and name not in self.errors
        }

    @property
    def has_invalid(self) -> bool:
        return bool(self.errors)


@dataclass
class Listing:
    form: ListingFilterForm
    page: Page
    total: int
    query: str  # the chosen filters as a query string, for the page links
    show_agency: bool

    @property
    def procedures(self) -> list[ProcedurePage]:
        return list(self.page.object_list)


def _field_choices(procedures: QuerySet[ProcedurePage]) -> list[tuple[str, str]]:
    fields = in_reading_order(Field.objects.filter(procedures__in=procedures).distinct())
    return [(f.code, f.name) for f in fields]


def _province_choices() -> list[tuple[str, str]]:
    return [(p.code, p.title) for p in ProvincePage.objects.live().order_by(by_shown("title"))]


def _apply(procedures: QuerySet[ProcedurePage], chosen: dict) -> QuerySet[ProcedurePage]:
    if chosen.get("status") != Status.ABOLISHED:
        procedures = active(procedures)
    if "level" in chosen:
        procedures = procedures.filter(level=chosen["level"])
    if "tier" in chosen:
        procedures = procedures.filter(**{TIER_FLAGS[Tier(chosen["tier"])]: True})
    if "field" in chosen:
        procedures = procedures.filter(field__code=chosen["field"])
    if "province" in chosen:
        procedures = procedures.filter(province__code=chosen["province"])
    return procedures


def build_listing(
    request: HttpRequest,
    procedures: QuerySet[ProcedurePage],
    tiers: list[str] | None = None,
    province_filter: bool = False,
    show_agency: bool = True,
    field_filter: bool = True,
) -> Listing:
    """One page of `procedures` (live and public ones are the caller's to choose) filtered by the
    request's GET parameters. Past the last page, the last page."""
    tier_choices = [(t, Tier(t).label) for t in (tiers or list(TIER_FLAGS))]
    form = ListingFilterForm(
        request.GET,
        fields=_field_choices(procedures) if field_filter else None,
        tiers=tier_choices,
        provinces=_province_choices() if province_filter else None,
    )
    chosen = form.chosen()
    filtered = _apply(procedures, chosen).order_by(by_shown("title"), "pk")
    filtered = filtered.prefetch_related("agency", "field")
    paginator = Paginator(filtered, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = QueryDict(mutable=True)
    query.update({k: str(v) for k, v in chosen.items()})
    return Listing(form, page, paginator.count, query.urlencode(), show_agency)


def counts_by(procedures: QuerySet[ProcedurePage], key: str) -> dict:
    """How many of `procedures` have each value of `key` (one grouped query)."""
    rows = procedures.order_by().values(key).annotate(n=Count("pk"))
    return {row[key]: row["n"] for row in rows}


def taxonomy_counts(model, procedures: QuerySet[ProcedurePage]):
    """Every Field or LifeEvent, annotated with how many of `procedures` cite it."""
    return model.objects.annotate(
        procedure_count=Count("procedures", filter=Q(procedures__in=procedures), distinct=True)
    )
