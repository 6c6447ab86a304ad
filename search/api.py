"""/api/v1/search/ and /api/v1/suggest/: ranked results with highlights and facets; titles
for autocomplete. Elasticsearch down: the database answers and `degraded` is true."""

from dataclasses import asdict

from django.utils.http import http_date
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import Tier
from catalog.records import catalogue_last_changed
from cms.api import LanguageMixin

from .backends.base import STATUS_ACTIVE, STATUS_ALL
from .service import run_search, run_suggest


class SearchParams(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=1000,
        help_text="Câu tìm kiếm, có dấu hay không dấu / the query, with or without diacritics",
    )
    province = serializers.CharField(
        required=False, allow_blank=True, help_text="Mã tỉnh / province code"
    )
    agency = serializers.CharField(
        required=False, allow_blank=True, help_text="Mã cơ quan thực hiện / agency code"
    )
    field = serializers.CharField(
        required=False, allow_blank=True, help_text="Mã lĩnh vực / field code"
    )
    tier = serializers.ChoiceField(
        choices=Tier.values, required=False, help_text="Cấp thực hiện / tier"
    )
    level = serializers.IntegerField(
        required=False, min_value=1, max_value=4, help_text="Mức độ DVCTT / online service level"
    )
    status = serializers.ChoiceField(
        choices=[STATUS_ACTIVE, "abolished", STATUS_ALL],
        required=False,
        default=STATUS_ACTIVE,
        help_text="Tình trạng; all: cả thủ tục đã bãi bỏ / status; all: abolished ones too",
    )
    page = serializers.IntegerField(
        required=False, min_value=1, max_value=1000, default=1, help_text="Trang / page number"
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=100,
        default=20,
        help_text="Số kết quả mỗi trang / results per page",
    )


class HitSerializer(serializers.Serializer):
    """One procedure found (search.backends.base.Hit)."""

    id = serializers.IntegerField(help_text="Mã số trang / page id")
    code = serializers.CharField(help_text="Mã thủ tục / procedure code")
    province = serializers.CharField(help_text="Mã tỉnh / province code")
    title = serializers.CharField(help_text="Tên thủ tục / title")
    url = serializers.CharField(help_text="Địa chỉ trang thủ tục / page URL")
    agency = serializers.CharField(help_text="Tên cơ quan thực hiện / lead agency's name")
    field = serializers.CharField(allow_blank=True, help_text="Tên lĩnh vực / field's name")
    level = serializers.IntegerField(help_text="Mức độ DVCTT / online service level")
    status = serializers.CharField(help_text="Tình trạng / status: active, abolished")
    score = serializers.FloatField(help_text="Điểm xếp hạng / ranking score")
    highlight = serializers.CharField(
        allow_blank=True, help_text="Tên, từ khớp trong <mark> (HTML) / title, matches marked"
    )
    snippet = serializers.CharField(
        allow_blank=True, help_text="Đoạn nội dung khớp (HTML) / matching body text (HTML)"
    )


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="Giá trị để lọc / the filter's value")
    label = serializers.CharField(help_text="Tên hiển thị / label")
    count = serializers.IntegerField(help_text="Số thủ tục / number of procedures")


def _facet(help_text: str) -> FacetValueSerializer:
    return FacetValueSerializer(many=True, required=False, help_text=help_text)


class FacetsSerializer(serializers.Serializer):
    """Counts over every matching procedure; absent when the query is empty."""

    agency = _facet("Theo cơ quan / by agency")
    field = _facet("Theo lĩnh vực / by field")
    tier = _facet("Theo cấp thực hiện / by tier")
    level = _facet("Theo mức độ / by level")


PERMIT_HIT = {
    "id": 30,
    "code": "CB.002",
    "province": "cao-bang",
    "title": "Cấp giấy phép xây dựng",
    "url": "/cao-bang/sxd/cap-giay-phep-xay-dung-cb002/",
    "agency": "Sở Xây dựng",
    "field": "Xây dựng",
    "level": 3,
    "status": "active",
    "score": 210200.0,
    "highlight": "Cấp <mark>giấy</mark> <mark>phép</mark> <mark>xây</mark> <mark>dựng</mark>",
    "snippet": (
        "Đơn đề nghị cấp <mark>giấy</mark> <mark>phép</mark> <mark>xây</mark> <mark>dựng</mark>"
    ),
}

SEARCH_EXAMPLE = {
    "query": "giay phep xay dung",
    "count": 1,
    "backend": "elasticsearch",
    "degraded": False,
    "suggestion": None,
    "searched": "",
    "partial": False,
    "best_bets": [],
    "results": [PERMIT_HIT],
    "facets": {
        "agency": [{"value": "SXD", "label": "Sở Xây dựng", "count": 1}],
        "field": [{"value": "xay-dung", "label": "Xây dựng", "count": 1}],
        "tier": [{"value": "province", "label": "Cấp tỉnh", "count": 1}],
        "level": [{"value": "3", "label": "Mức độ 3", "count": 1}],
    },
}

SUGGEST_EXAMPLE = {
    "query": "giay phep",
    "results": [
        {
            "code": "CB.002",
            "province": "cao-bang",
            "title": "Cấp giấy phép xây dựng",
            "url": "/cao-bang/sxd/cap-giay-phep-xay-dung-cb002/",
        }
    ],
}


@extend_schema_serializer(
    examples=[
        OpenApiExample("Không dấu: giay phep xay dung", value=SEARCH_EXAMPLE, response_only=True)
    ]
)
class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField(allow_blank=True, help_text="Câu tìm kiếm / the query")
    count = serializers.IntegerField(help_text="Tổng số kết quả / total results")
    backend = serializers.CharField(help_text="Bộ máy đã trả lời / the backend that answered")
    degraded = serializers.BooleanField(
        help_text="Bộ máy chính lỗi, bộ máy dự phòng trả lời / the fallback answered"
    )
    suggestion = serializers.CharField(
        allow_null=True, help_text="Gợi ý khi không có kết quả / did you mean"
    )
    searched = serializers.CharField(
        allow_blank=True,
        help_text=(
            "Khi không thủ tục nào chứa đủ các từ: các từ đã tìm thay (bỏ từ đệm như “xin”, "
            "“thủ tục”, “ở đâu”) / when no procedure held every word: the words searched instead"
        ),
    )
    partial = serializers.BooleanField(
        help_text=(
            "Kết quả chỉ chứa một phần các từ, thủ tục chứa nhiều từ nhất xếp trước / "
            "results hold only some of the words, those holding most first"
        )
    )
    best_bets = HitSerializer(many=True, help_text="Kết quả được đề xuất / editors' best bets")
    results = HitSerializer(many=True, help_text="Kết quả xếp hạng / ranked results")
    facets = FacetsSerializer(help_text="Số kết quả theo nhóm / facet counts")


class SuggestionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã thủ tục / procedure code")
    province = serializers.CharField(help_text="Mã tỉnh / province code")
    title = serializers.CharField(help_text="Tên thủ tục / title")
    url = serializers.CharField(help_text="Địa chỉ trang thủ tục / page URL")


@extend_schema_serializer(
    examples=[OpenApiExample("Đang gõ: giay phep", value=SUGGEST_EXAMPLE, response_only=True)]
)
class SuggestResponseSerializer(serializers.Serializer):
    query = serializers.CharField(allow_blank=True, help_text="Chữ đã gõ / what was typed")
    results = SuggestionSerializer(many=True, help_text="Tên gợi ý / suggested titles")


class SearchView(LanguageMixin, APIView):
    @extend_schema(parameters=[SearchParams], responses=SearchResponseSerializer)
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
                "searched": results.searched,
                "partial": results.partial,
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
            OpenApiParameter(
                "q", str, required=True, description="Chữ đã gõ / what was typed so far"
            ),
            OpenApiParameter("province", str, description="Mã tỉnh / province code"),
        ],
        responses=SuggestResponseSerializer,
    )
    def get(self, request):
        q = request.query_params.get("q", "")[:200]
        suggestions = run_suggest(request, q, request.query_params.get("province") or None)
        return Response({"query": q, "results": [asdict(s) for s in suggestions]})
