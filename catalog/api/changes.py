"""changes/: the change log of the public catalogue, for portals that keep a mirror.

A portal stores the `cursor` of the last page it applied and asks for what came after it; ids
are given in commit order (catalog.changes), so resuming from a stored cursor after a crash
neither misses nor repeats a change. Each change carries the procedure's record as it is now
when the procedure is still public under the code and province the change names; otherwise
`record` is null and a later change of the log (a tombstone, a new code) says what happened."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from cms.api import LANG_PARAM, LanguageMixin

from ..models import ChangeKind, ProcedureChange
from ..record_cache import cached_records
from ..records import site_province
from .conditional import CatalogueVersion
from .examples import PROCEDURE_EXAMPLE
from .serializers import ProcedureSerializer

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
MAX_CURSOR = 2**63 - 1  # the largest id a database's integer column holds


class ChangeSerializer(serializers.Serializer):
    cursor = serializers.IntegerField(
        help_text="Vị trí của thay đổi: đọc tiếp từ đây / this change's cursor"
    )
    change = serializers.ChoiceField(
        choices=ChangeKind.values, help_text="created, updated, abolished, deleted"
    )
    at = serializers.DateTimeField(help_text="Thời điểm / when it happened")
    province = serializers.CharField(help_text="Mã tỉnh / province code")
    code = serializers.CharField(help_text="Mã thủ tục / procedure code")
    agency = serializers.CharField(allow_blank=True, help_text="Mã cơ quan / agency code")
    previous_agency = serializers.CharField(
        allow_blank=True,
        help_text="Cơ quan trước khi chuyển, nếu có / the agency it moved from, if it moved",
    )
    record = ProcedureSerializer(
        allow_null=True,
        help_text="Bản ghi hiện tại; null nếu đã xóa / the record as it is now; null if gone",
    )


class ChangesPageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    cursor = serializers.IntegerField(
        help_text="Lưu lại và gửi ?cursor= lần sau / store it and send it as ?cursor= next time"
    )
    next = serializers.URLField(
        allow_null=True, help_text="Trang tiếp theo, nếu còn / the next page, if any"
    )


CHANGES_EXAMPLE = {
    "results": [
        {
            "cursor": 1041,
            "change": "updated",
            "at": "2026-12-01T08:30:00+07:00",
            "province": "lam-dong",
            "code": "LD.001",
            "agency": "CAT",
            "previous_agency": "",
            "record": PROCEDURE_EXAMPLE,
        },
        {
            "cursor": 1042,
            "change": "deleted",
            "at": "2026-12-01T09:02:00+07:00",
            "province": "lam-dong",
            "code": "LD.006",
            "agency": "TTT",
            "previous_agency": "",
            "record": None,
        },
    ],
    "cursor": 1042,
    "next": None,
}


@extend_schema(
    parameters=[
        LANG_PARAM,
        OpenApiParameter(
            "cursor",
            {"type": "integer", "minimum": 0, "maximum": MAX_CURSOR},
            description="Đọc sau vị trí này / changes after this cursor",
        ),
        OpenApiParameter(
            "since",
            OpenApiTypes.DATETIME,
            description="Thay đổi từ thời điểm này (ISO 8601) / changes at or after this time",
            examples=[OpenApiExample("Từ ngày 1/12/2026", value="2026-12-01T00:00:00+07:00")],
        ),
        OpenApiParameter("province", str, description="Mã tỉnh / province code"),
        OpenApiParameter(
            "agency",
            str,
            description="Mã cơ quan: cả thủ tục chuyển đi / agency code, procedures moved away too",
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            description=f"1–{MAX_PAGE_SIZE}, mặc định {DEFAULT_PAGE_SIZE}",
        ),
    ],
    responses={200: ChangesPageSerializer},
    examples=[OpenApiExample("Hai thay đổi", value=CHANGES_EXAMPLE, response_only=True)],
)
class ChangesView(LanguageMixin, generics.GenericAPIView):
    """Thay đổi của danh mục theo thứ tự xảy ra / the catalogue's changes in the order they
    happened: created, updated, abolished, deleted (tombstones)."""

    serializer_class = ChangesPageSerializer
    pagination_class = None
    filter_backends: list = []

    def get(self, request: Request) -> Response:
        version = CatalogueVersion()
        cached = version.not_modified(request)
        if cached is not None:
            return cached
        size = _page_size(request)
        changes = list(self._changes(request)[: size + 1])
        more, changes = len(changes) > size, changes[:size]
        cursor = changes[-1].id if changes else _cursor(request)
        body = {
            "results": change_items(changes, request),
            "cursor": cursor,
            "next": _next_url(request, cursor) if more else None,
        }
        return version.stamp(request, Response(body))

    def _changes(self, request: Request) -> QuerySet[ProcedureChange]:
        changes = ProcedureChange.objects.filter(id__gt=_cursor(request)).order_by("id")
        if since := request.query_params.get("since"):
            changes = changes.filter(at__gte=_datetime(since))
        province = site_province(request)
        if province is not None:
            changes = changes.filter(province=province.code)
        if code := request.query_params.get("province"):
            changes = changes.filter(province=code)
        if agency := request.query_params.get("agency"):
            changes = changes.filter(Q(agency=agency) | Q(previous_agency=agency))
        return changes


def _cursor(request: Request) -> int:
    value = request.query_params.get("cursor", "0")
    if not value.isdigit() or int(value) > MAX_CURSOR:
        raise ValidationError({"cursor": _("Vị trí phải là một số nguyên không âm.")})
    return int(value)


def _page_size(request: Request) -> int:
    value = request.query_params.get("page_size", str(DEFAULT_PAGE_SIZE))
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE_SIZE:
        message = _("Số thay đổi mỗi trang phải từ 1 đến %(max)d.") % {"max": MAX_PAGE_SIZE}
        raise ValidationError({"page_size": message})
    return int(value)


def _datetime(value: str) -> datetime.datetime:
    """The instant, in UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows."""
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(value)
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return parsed.astimezone(datetime.UTC)
    except (ValueError, OverflowError) as error:
        message = _("Thời điểm phải theo ISO 8601, ví dụ 2026-12-01T00:00:00+07:00.")
        raise ValidationError({"since": message}) from error


def change_items(changes: list[ProcedureChange], request: Request | None = None) -> list[dict]:
    """The changes as changes/ serves them (webhooks send the same items)."""
    records = _current_records(changes, request)
    return [_change_item(change, records) for change in changes]


def _current_records(changes: list[ProcedureChange], request: Request | None) -> dict[int, dict]:
    """The records of the procedures these changes name, by page, read in one go."""
    ids = {change.page_id for change in changes if change.kind != ChangeKind.DELETED}
    return cached_records(ids, request)


def _change_item(change: ProcedureChange, records: dict[int, dict]) -> dict:
    record = records.get(change.page_id) if change.kind != ChangeKind.DELETED else None
    province = (record or {}).get("province") or {}
    if record and (province.get("code"), record["code"]) != (change.province, change.code):
        record = None  # the procedure is known by another code or province now
    return {
        "cursor": change.id,
        "change": change.kind,
        "at": change.at,
        "province": change.province,
        "code": change.code,
        "agency": change.agency,
        "previous_agency": change.previous_agency,
        "record": record,
    }


def _next_url(request: Request, cursor: int) -> str:
    return replace_query_param(request.build_absolute_uri(), "cursor", cursor)
