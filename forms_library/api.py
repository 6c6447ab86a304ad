"""The forms library for member portals, each form as its public record with its earlier
versions. /api/v1/forms/ serves catalog's extension of it (catalog/api/forms.py), which adds
the procedures that cite each form."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from wagtail.models import ModelLogEntry

from cms.api import LANG_PARAM, CatalogPagination, LanguageMixin
from cms.text import fold

from .models import FormDocument, Language
from .records import form_record, public_forms, version_record
from .serializers import FormRecordSerializer, FormVersionSerializer


class FormFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Tìm theo mã hoặc tên mẫu"))
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact", label=_("Mã mẫu"))
    format = django_filters.CharFilter(field_name="file_format", label=_("Định dạng (pdf, docx…)"))
    language = django_filters.ChoiceFilter(choices=Language.choices, label=_("Ngôn ngữ"))
    is_sample = django_filters.BooleanFilter(label=_("Mẫu minh họa"))

    class Meta:
        model = FormDocument
        fields = []

    def filter_q(self, queryset, name, value):
        for word in fold(value).split():
            queryset = queryset.filter(folded_text__contains=word)
        return queryset


class FormSerializer(FormRecordSerializer):
    """The form's public record (forms_library.records), with its history.

    The record is built by form_record(); the fields declare it for the schema and the tests."""

    versions = FormVersionSerializer(many=True, help_text="Các phiên bản trước / earlier versions")

    def to_representation(self, instance) -> dict:
        request = self.context.get("request")
        return {
            **form_record(instance, request),
            "versions": [version_record(v, request) for v in instance.versions.all()],
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
