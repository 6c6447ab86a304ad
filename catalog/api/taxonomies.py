"""agencies/, fields/ and life-events/: what a portal builds its menus from, each with the number
of procedures in force it leads to, counted as procedures/ would list them (same province
scoping: the province's own site, or ?province=)."""

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cms.api import LANG_PARAM, LanguageMixin

from ..models import AgencyKind, AgencyPage, Field, LifeEvent, ProcedurePage, Status, Tier
from ..models.taxonomy import Audience, in_reading_order
from ..records import site_province
from .examples import AGENCY_EXAMPLE, FIELD_EXAMPLE, LIFE_EVENT_EXAMPLE

PROVINCE_PARAM = OpenApiParameter("province", str, description="Mã tỉnh / province code")
COUNT_HELP = "Số thủ tục đang hiệu lực / procedures in force"


@extend_schema_serializer(
    examples=[OpenApiExample("Lĩnh vực cư trú", value=FIELD_EXAMPLE, response_only=True)]
)
class TaxonomySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã / code")
    name = serializers.CharField(help_text="Tên / name")
    procedure_count = serializers.IntegerField(source="count", help_text=COUNT_HELP)


@extend_schema_serializer(
    examples=[OpenApiExample("Cư trú", value=LIFE_EVENT_EXAMPLE, response_only=True)]
)
class LifeEventSerializer(TaxonomySerializer):
    audience = serializers.ChoiceField(
        choices=Audience.choices, help_text="Dành cho / for: citizens, businesses"
    )
    description = serializers.CharField(allow_blank=True, help_text="Mô tả / description")


@extend_schema_serializer(
    examples=[OpenApiExample("Công an tỉnh", value=AGENCY_EXAMPLE, response_only=True)]
)
class AgencySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã cơ quan / agency code")
    name = serializers.CharField(source="title", help_text="Tên / name")
    province = serializers.CharField(source="province.code", help_text="Mã tỉnh / province")
    kind = serializers.ChoiceField(choices=AgencyKind.choices, help_text="Loại / kind")
    tier = serializers.ChoiceField(choices=Tier.choices, help_text="Cấp / tier")
    parent_agency = serializers.CharField(
        source="parent_agency.code", allow_null=True, help_text="Cơ quan cấp trên / parent"
    )
    address = serializers.CharField(allow_blank=True, help_text="Địa chỉ / address")
    phone = serializers.CharField(allow_blank=True, help_text="Điện thoại / phone")
    email = serializers.CharField(allow_blank=True, help_text="Thư điện tử / e-mail")
    website = serializers.CharField(allow_blank=True, help_text="Trang web / website")
    opening_hours = serializers.CharField(allow_blank=True, help_text="Giờ tiếp nhận / hours")
    url = serializers.SerializerMethodField(help_text="Trang của cơ quan / the agency's page")
    procedure_count = serializers.IntegerField(source="count", help_text=COUNT_HELP)

    def get_url(self, agency: AgencyPage) -> str:
        return self.context["request"].build_absolute_uri(agency.url)


def _province_code(request: Request) -> str | None:
    province = site_province(request)
    return province.code if province else request.query_params.get("province") or None


def _in_force(request: Request) -> QuerySet[ProcedurePage]:
    """The procedures procedures/ lists by default, in the request's province."""
    procedures = ProcedurePage.objects.live().public().filter(status=Status.ACTIVE)
    if code := _province_code(request):
        procedures = procedures.filter(province__code=code)
    return procedures.values("pk")


class CountedTaxonomyViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """A taxonomy with its procedure counts, in the reader's order; within a province, only
    what leads to one of its procedures."""

    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        in_force = Q(procedures__in=_in_force(self.request))
        counted = self.queryset.annotate(count=Count("procedures", filter=in_force, distinct=True))
        return counted.filter(count__gt=0) if _province_code(self.request) else counted

    def list(self, request, *args, **kwargs):
        items = self.in_order(self.get_queryset())
        return Response(self.get_serializer(items, many=True).data)

    def in_order(self, items: QuerySet) -> list:
        return in_reading_order(items)


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM, PROVINCE_PARAM]),
    retrieve=extend_schema(parameters=[LANG_PARAM, PROVINCE_PARAM]),
)
class FieldViewSet(CountedTaxonomyViewSet):
    """Lĩnh vực / fields, each with its number of procedures."""

    queryset = Field.objects.all()
    serializer_class = TaxonomySerializer


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAM, PROVINCE_PARAM]),
    retrieve=extend_schema(parameters=[LANG_PARAM, PROVINCE_PARAM]),
)
class LifeEventViewSet(CountedTaxonomyViewSet):
    """Sự kiện đời sống / life events, in the national portal's order (audience, then rank)."""

    queryset = LifeEvent.objects.all()
    serializer_class = LifeEventSerializer

    def in_order(self, items: QuerySet) -> list:
        return list(items)  # their own order, set by editors (audience, sort_order)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            LANG_PARAM,
            PROVINCE_PARAM,
            OpenApiParameter("tier", str, enum=Tier.values, description="Cấp / tier"),
        ]
    )
)
class AgencyViewSet(LanguageMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Cơ quan thực hiện / agencies, each with its number of procedures in force (a list only:
    agency codes are unique within a province, not across them)."""

    serializer_class = AgencySerializer
    filter_backends: list = []
    queryset = AgencyPage.objects.none()  # for the schema; get_queryset gives the real one

    def get_queryset(self):
        agencies = AgencyPage.objects.live().public().select_related("province", "parent_agency")
        if code := _province_code(self.request):
            agencies = agencies.filter(province__code=code)
        if tier := self.request.query_params.get("tier"):
            agencies = agencies.filter(tier=tier)
        in_force = Q(procedures__in=_in_force(self.request))
        counted = agencies.annotate(count=Count("procedures", filter=in_force, distinct=True))
        return counted.order_by("province__code", "path")
