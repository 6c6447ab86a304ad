"""/api/v1/search/ and /api/v1/suggest/: ranked results with highlights and facets; titles
for autocomplete. Elasticsearch down: the database answers and `degraded` is true."""

from dataclasses import asdict

from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import Tier
from catalog.records import catalogue_last_changed
from cms.api import LanguageMixin

from .backends.base import STATUS_ACTIVE, STATUS_ALL
from .service import run_search, run_suggest


class SearchParams(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    province = serializers.CharField(required=False, allow_blank=True)
    agency = serializers.CharField(required=False, allow_blank=True)
    field = serializers.CharField(required=False, allow_blank=True)
    tier = serializers.ChoiceField(choices=Tier.values, required=False)
    level = serializers.IntegerField(required=False, min_value=1, max_value=4)
    status = serializers.ChoiceField(
        choices=[STATUS_ACTIVE, "abolished", STATUS_ALL], required=False, default=STATUS_ACTIVE
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class SearchView(LanguageMixin, APIView):
    @extend_schema(parameters=[SearchParams], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        params = SearchParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        results = run_search(request, **params.validated_data)
        response = Response(
            {
                "query": params.validated_data["q"],
                "count": results.total,
                "backend": results.backend,
                "degraded": results.degraded,
                "suggestion": results.suggestion,
                "best_bets": [asdict(h) for h in results.best_bets],
                "results": [asdict(h) for h in results.hits],
                "facets": {k: [asdict(v) for v in values] for k, values in results.facets.items()},
            }
        )
        last = catalogue_last_changed()
        if last:
            response["Last-Modified"] = http_date(last.timestamp())
        return response


class SuggestView(LanguageMixin, APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True),
            OpenApiParameter("province", str),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        q = request.query_params.get("q", "")[:200]
        suggestions = run_suggest(request, q, request.query_params.get("province") or None)
        return Response({"query": q, "results": [asdict(s) for s in suggestions]})
