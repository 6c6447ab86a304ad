"""/api/v1/forms/: the forms library for member portals, each form as its public record with its
earlier versions and the procedures (by code) that cite it."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter
from wagtail.models import ModelLogEntry

from catalog.api.pagination import CatalogPagination
from catalog.api.views import LANG_PARAM, LanguageMixin
from catalog.models import ProcedurePage
from cms.text import folded

from .models import FormDocument, Language
from .records import citing_procedure_ids, form_record, forms_cited_by, public_forms, version_record
from .serializers import FormRecordSerializer, FormVersionSerializer


class FormFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Tìm theo mã hoặc tên mẫu"))
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact", label=_("Mã mẫu"))
    format = django_filters.CharFilter(field_name="file_format", label=_("Định dạng (pdf, docx…)"))
    language = django_filters.ChoiceFilter(choices=Language.choices, label=_("Ngôn ngữ"))
    province = django_filters.CharFilter(method="filter_province", label=_("Mã tỉnh"))
    procedure = django_filters.CharFilter(method="filter_procedure", label=_("Mã thủ tục"))
    is_sample = django_filters.BooleanFilter(label=_("Mẫu minh họa"))

    class Meta:
        model = FormDocument
        fields = []

    def filter_q(self, queryset, name, value):
        for word in folded(value).split():
            queryset = queryset.filter(folded_text__contains=word)
        return queryset

    def filter_province(self, queryset, name, value):
        return queryset.filter(pk__in=forms_cited_by(province__code=value))

    def filter_procedure(self, queryset, name, value):
        return queryset.filter(pk__in=forms_cited_by(code=value))


class CitingProcedureSerializer(serializers.Serializer):
    province = serializers.CharField(help_text="Mã tỉnh / province code")
    code = serializers.CharField(help_text="Mã thủ tục / procedure code")


class FormSerializer(FormRecordSerializer):
    """The form's public record (forms_library.records), with its history and citing procedures.

    The record is built by form_record(); the fields declare it for the schema and the tests."""

    versions = FormVersionSerializer(many=True, help_text="Các phiên bản trước / earlier versions")
    procedures = CitingProcedureSerializer(
        many=True, help_text="Các thủ tục dẫn tới mẫu này / procedures citing this form"
    )

    def to_representation(self, instance) -> dict:
        request = self.context.get("request")
        cited_by = self.context["cited_by"].get(instance.pk, [])
        return {
            **form_record(instance, request),
            "versions": [version_record(v, request) for v in instance.versions.all()],
            "procedures": cited_by,
        }


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM]),
    retrieve=extend_schema(parameters=[LANG_PARAM]),
)
class FormViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Forms of the library with file URL, format, size, SHA-256, version and effective date."""

    serializer_class = FormSerializer
    filterset_class = FormFilter
    pagination_class = CatalogPagination
    queryset = FormDocument.objects.none()  # for the schema; get_queryset gives the real one

    def get_queryset(self):
        return public_forms().prefetch_related("versions")

    def get_serializer(self, *args, **kwargs):
        forms = args[0] if args else []
        forms = forms if isinstance(forms, list | tuple) else [forms]
        kwargs.setdefault("context", self.get_serializer_context())
        kwargs["context"]["cited_by"] = _citing_procedures([f.pk for f in forms if f])
        return super().get_serializer(*args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        last = library_last_changed()
        if last and response.status_code == 200:
            response["Last-Modified"] = http_date(last.timestamp())
        return response


def library_last_changed():
    """When any form was last saved, replaced or deleted (Wagtail logs deletions)."""
    saved = FormDocument.objects.aggregate(last=Max("updated_at"))["last"]
    content_type = ContentType.objects.get_for_model(FormDocument)
    logged = ModelLogEntry.objects.filter(content_type=content_type)
    deleted = logged.aggregate(last=Max("timestamp"))["last"]
    return max(filter(None, [saved, deleted]), default=None)


def _citing_procedures(form_ids: list[int]) -> dict[int, list[dict]]:
    """The published procedures citing each form, as {province, code} pairs."""
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


router = DefaultRouter(trailing_slash=True)
router.register("forms", FormViewSet, basename="form")
urlpatterns = router.urls
