"""The feed API: read-only, public, conditional GET, Vietnamese by default (?lang=en)."""

from django.http import Http404
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.response import Response

from cms.api import LANG_PARAM, LanguageMixin

from ..record_cache import cached_records
from ..records import public_procedures, site_province
from .conditional import CatalogueVersion
from .csv_export import CSVRenderer, csv_response
from .filters import ProcedureFilter
from .jsonld import JSONLDRenderer, PublicServiceDocument, PublicServiceListDocument
from .serializers import ProcedureSerializer, ProvincesOfCodeSerializer

# ?format=jsonld: a CPSV-AP 3 document (catalog/cpsv.py), not the record's JSON shape.


@extend_schema_view(
    list=extend_schema(
        parameters=[LANG_PARAM],
        responses={
            (200, "application/json"): ProcedureSerializer,
            (200, JSONLDRenderer.media_type): PublicServiceListDocument,
            (200, CSVRenderer.media_type): OpenApiResponse(OpenApiTypes.STR),
        },
    ),
    retrieve=extend_schema(
        parameters=[LANG_PARAM, OpenApiParameter("province", str, description="Mã tỉnh")],
        responses={
            (200, "application/json"): ProcedureSerializer,
            (200, JSONLDRenderer.media_type): PublicServiceDocument,
            (300, "application/json"): ProvincesOfCodeSerializer,
        },
    ),
)
class ProcedureViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Procedures of the catalogue, each as its full public record."""

    serializer_class = ProcedureSerializer
    filterset_class = ProcedureFilter
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_renderers(self):
        renderers = [*super().get_renderers(), JSONLDRenderer()]
        return [*renderers, CSVRenderer()] if self.action == "list" else renderers

    def finalize_response(self, request, response, *args, **kwargs):
        """JSON, JSON-LD or CSV by Accept as well as by ?format=: caches keep them apart."""
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        return response

    def get_queryset(self):
        queryset = public_procedures().order_by("province__code", "code")
        province = site_province(self.request)
        return queryset.filter(province=province) if province else queryset

    def list(self, request, *args, **kwargs):
        """Decided before the records are built: a portal holding this version gets a 304."""
        version = CatalogueVersion()
        cached = version.not_modified(request)
        if cached is not None:
            return cached
        queryset = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format == CSVRenderer.format:
            return version.stamp(request, csv_response(queryset))
        # Paginated over ids alone: the records themselves mostly come built from the cache.
        ids = queryset.select_related(None).prefetch_related(None).values_list("pk", flat=True)
        page = self.paginate_queryset(ids)
        records = cached_records(page, request)
        listed = [records[page_id] for page_id in page if page_id in records]
        return version.stamp(request, self.get_paginated_response(listed))

    def retrieve(self, request, *args, **kwargs):
        matches = self.get_queryset().filter(code=kwargs["code"])
        province = request.query_params.get("province")
        if province:
            matches = matches.filter(province__code=province)
        found = list(matches[:20])
        if not found:
            raise Http404(_("Không tìm thấy thủ tục có mã này."))
        if len(found) > 1:
            return Response(
                {
                    "detail": _("Mã thủ tục này có ở nhiều tỉnh; thêm ?province=MÃ_TỈNH."),
                    "provinces": [p.province.code for p in found],
                },
                status=status.HTTP_300_MULTIPLE_CHOICES,
            )
        response = Response(self.get_serializer(found[0]).data)
        if found[0].last_published_at:
            response["Last-Modified"] = http_date(found[0].last_published_at.timestamp())
        return response
