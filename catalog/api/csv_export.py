"""?format=csv on procedures/: the whole filtered list (not a page of it) in the import columns,
so that what a portal or an editor downloads opens in Excel and goes back through
import_catalog."""

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

from ..models import ProcedurePage
from ..transfer.export import csv_lines, flat_row, records_of

FILENAME = "thu-tuc-hanh-chinh.csv"


class CSVRenderer(BaseRenderer):
    """Names the format for content negotiation; procedures/ streams the body itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        # Only errors get here (a 400 for a bad filter): a line of text a spreadsheet shows.
        detail = data.get("detail", data) if isinstance(data, dict) else data
        return str(detail).encode()


def csv_response(procedures: QuerySet[ProcedurePage]) -> StreamingHttpResponse:
    rows = (flat_row(record) for record in records_of(procedures))
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}"'
    return response
