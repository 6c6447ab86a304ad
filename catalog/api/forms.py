"""/api/v1/forms/: the forms library's API (forms_library/api.py), with the procedures (by
province and code) that cite each form and filters by procedure and province."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers
from rest_framework.routers import DefaultRouter

from forms_library.api import FormFilter, FormSerializer, FormViewSet

from ..form_citations import citing_procedures, forms_cited_by
from .examples import CITED_FORM_EXAMPLE


class CitedFormFilter(FormFilter):
    province = django_filters.CharFilter(method="filter_province", label=_("Mã tỉnh"))
    procedure = django_filters.CharFilter(method="filter_procedure", label=_("Mã thủ tục"))

    class Meta(FormFilter.Meta):
        pass

    def filter_province(self, queryset, name, value):
        return queryset.filter(pk__in=forms_cited_by(province__code=value))

    def filter_procedure(self, queryset, name, value):
        return queryset.filter(pk__in=forms_cited_by(code=value))


class CitingProcedureSerializer(serializers.Serializer):
    province = serializers.CharField(help_text="Mã tỉnh / province code")
    code = serializers.CharField(help_text="Mã thủ tục / procedure code")


@extend_schema_serializer(
    examples=[OpenApiExample("Tờ khai CT01", value=CITED_FORM_EXAMPLE, response_only=True)]
)
class CitedFormSerializer(FormSerializer):
    """The form's public record with its history and the procedures that cite it."""

    procedures = CitingProcedureSerializer(
        many=True, help_text="Các thủ tục dẫn tới mẫu này / procedures citing this form"
    )

    def to_representation(self, instance) -> dict:
        cited_by = self.context["cited_by"].get(instance.pk, [])
        return {**super().to_representation(instance), "procedures": cited_by}


class CitedFormViewSet(FormViewSet):
    """Forms of the library with file URL, format, size, SHA-256, version and effective date."""

    serializer_class = CitedFormSerializer
    filterset_class = CitedFormFilter

    def get_serializer(self, *args, **kwargs):
        forms = args[0] if args else []
        forms = forms if isinstance(forms, list | tuple) else [forms]
        kwargs.setdefault("context", self.get_serializer_context())
        kwargs["context"]["cited_by"] = citing_procedures([f.pk for f in forms if f])
        return super().get_serializer(*args, **kwargs)


router = DefaultRouter(trailing_slash=True)
router.register("forms", CitedFormViewSet, basename="form")
urlpatterns = router.urls
