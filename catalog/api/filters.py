"""Filters of the procedures list, by code rather than by database id (CONTRACT.md)."""

import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from cms.text import fold

from ..models import ProcedurePage, Status, Tier

STATUS_ALL = "all"
# ?ordering= values and the columns they sort by; ties fall back to province and code, so that
# pages of a sorted list neither repeat nor skip a procedure.
ORDER_COLUMNS = {"code": "code", "title": "folded_title", "updated": "last_published_at"}
ORDERINGS = [*ORDER_COLUMNS, *(f"-{key}" for key in ORDER_COLUMNS)]


class InstantField(IsoDateTimeField):
    """An ISO 8601 instant, in UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO allows."""

    def to_python(self, value):
        parsed = super().to_python(value)
        try:
            return parsed.astimezone(datetime.UTC) if parsed is not None else None
        except OverflowError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField


class ProcedureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Tìm theo tên hoặc mã"))
    province = django_filters.CharFilter(field_name="province__code", label=_("Mã tỉnh"))
    agency = django_filters.CharFilter(method="filter_agency", label=_("Mã cơ quan thực hiện"))
    field = django_filters.CharFilter(field_name="field__code", label=_("Mã lĩnh vực"))
    tier = django_filters.ChoiceFilter(choices=Tier.choices, method="filter_tier", label=_("Cấp"))
    level = django_filters.TypedChoiceFilter(
        choices=[(n, n) for n in range(1, 5)], coerce=int, field_name="level", label=_("Mức độ")
    )
    min_level = django_filters.TypedChoiceFilter(
        choices=[(n, n) for n in range(1, 5)],
        coerce=int,
        field_name="level",
        lookup_expr="gte",
        label=_("Mức độ tối thiểu"),
    )
    life_event = django_filters.CharFilter(
        field_name="life_events__code", label=_("Sự kiện đời sống")
    )
    status = django_filters.ChoiceFilter(
        choices=[*Status.choices, (STATUS_ALL, _("Tất cả"))],
        method="filter_status",
        empty_label=None,
        label=_("Tình trạng (mặc định: đang hiệu lực)"),
    )
    updated_since = InstantFilter(
        field_name="last_published_at", lookup_expr="gte", label=_("Cập nhật từ (ISO 8601)")
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in ORDERINGS],
        method="filter_ordering",
        label=_("Sắp xếp: code, title, updated (thêm - để đảo ngược)"),
    )

    class Meta:
        model = ProcedurePage
        fields: list[str] = []

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=Status.ACTIVE)
        return queryset.distinct() if self.form.cleaned_data.get("life_event") else queryset

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word of the query in the title (accents and case ignored), or the exact code."""
        value = value.strip()
        if not value:
            return queryset
        words = Q()
        for word in fold(value).split():
            words &= Q(folded_title__contains=word)
        return queryset.filter(words | Q(code__iexact=value))

    def filter_agency(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(agency__code__iexact=value.strip())

    def filter_tier(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"tier_{value}": True})

    def filter_ordering(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        descending, key = value.startswith("-"), value.lstrip("-")
        column = ("-" if descending else "") + ORDER_COLUMNS[key]
        return queryset.order_by(column, "province__code", "code", "pk")

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset if value == STATUS_ALL else queryset.filter(status=value)
