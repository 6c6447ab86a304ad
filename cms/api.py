"""What every room's API shares: the language parameter (?lang=vi|en) and the page-number
pagination of the lists."""

import math

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import Throttled
from rest_framework.pagination import PageNumberPagination

LANG_PARAM = OpenApiParameter("lang", str, enum=["vi", "en"], description="Ngôn ngữ / language")

LANGUAGES = ("vi", "en")


class LanguageMixin:
    """?lang=vi|en, else Accept-Language, else Vietnamese.

    LocaleMiddleware settles on Vietnamese for every path outside i18n_patterns (the API is
    one), so the API reads the header itself."""

    def initial(self, request, *args, **kwargs):
        lang = request.query_params.get("lang")
        if lang not in LANGUAGES:
            lang = translation.get_language_from_request(request, check_path=False)
        lang = lang if lang in LANGUAGES else "vi"
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        super().initial(request, *args, **kwargs)

    def throttled(self, request, wait):
        """Too many requests: 429 with Retry-After, said in the reader's language."""
        seconds = math.ceil(wait) if wait else 60
        message = _("Quá nhiều yêu cầu. Vui lòng thử lại sau %(seconds)d giây.")
        exception = Throttled(detail=message % {"seconds": seconds})  # not DRF's English tail
        exception.wait = seconds  # DRF's handler sends it as Retry-After
        raise exception

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        response.setdefault("Vary", "Accept-Language")
        return response


class CatalogPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def feed_endpoints_only(endpoints: list) -> list:
    """drf-spectacular's preprocessing hook: the schema describes the public feed, not the
    admin's internal API that Wagtail serves with DRF too."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


ERROR_ANSWERS = {
    "400": "Tham số không hợp lệ; nội dung nêu tham số nào / a parameter is invalid (named)",
    "404": "Không tìm thấy (mã, trang) / not found (code, page number)",
    "429": "Quá nhiều yêu cầu; xem Retry-After / too many requests; see Retry-After",
}


def declare_error_answers(result: dict, generator, request, public) -> dict:
    """drf-spectacular's postprocessing hook: every operation may answer these, with a body
    that names what went wrong."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "description": "Lỗi / error",
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": True,
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for status, text in ERROR_ANSWERS.items():
                operation["responses"].setdefault(status, {"description": text, "content": error})
    return result
