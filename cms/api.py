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


# One Vietnamese example per parameter name, from the demo catalogue (a portal trying the
# documentation's "Try it out" on `make run` finds them).
PARAMETER_EXAMPLES = {
    "q": "giấy phép xây dựng",
    "province": "lam-dong",
    "agency": "CAT",
    "field": "dang-ky-quan-ly-cu-tru",
    "life_event": "cu-tru-giay-to",
    "tier": "commune",
    "level": 3,
    "min_level": 3,
    "status": "all",
    "updated_since": "2026-12-01T00:00:00+07:00",
    "since": "2026-12-01T00:00:00+07:00",
    "ordering": "-updated",
    "cursor": 1041,
    "procedure": "LD.001",
    "language": "vi",
    "is_sample": False,
    "lang": "vi",
    "page": 2,
    "page_size": 50,
}
FORMAT_HELP = "Định dạng / format: json, jsonld (CPSV-AP 3)"
# What a name means on one path only (a path's `code`, `id`, `format`): (example, description).
PATH_PARAMETERS = {
    "/api/v1/procedures/": {"format": ("csv", FORMAT_HELP + ", csv (Excel)")},
    "/api/v1/procedures/{code}/": {
        "code": ("LD.001", "Mã thủ tục / procedure code"),
        "format": ("jsonld", FORMAT_HELP),
    },
    "/api/v1/fields/{code}/": {
        "code": ("dang-ky-quan-ly-cu-tru", "Mã lĩnh vực / field code"),
    },
    "/api/v1/life-events/{code}/": {
        "code": ("cu-tru-giay-to", "Mã sự kiện đời sống / life event code"),
    },
    "/api/v1/forms/": {"code": ("CT01", None), "format": ("pdf", None)},
    "/api/v1/forms/{id}/": {"id": (1, None)},
}
EXAMPLE_SITE = "https://thutuc.lamdong.gov.vn"


def give_parameter_examples(result: dict, generator, request, public) -> dict:
    """drf-spectacular's postprocessing hook: every parameter gets a Vietnamese example (and a
    description where its declaration has none); pages' links in the answers' examples point
    to the path they answer, not to DRF's placeholder."""
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                _give_example(parameter, PATH_PARAMETERS.get(path, {}))
            _link_example_pages(operation, path)
    return result


def _give_example(parameter: dict, on_this_path: dict) -> None:
    name = parameter["name"]
    example, description = on_this_path.get(name, (PARAMETER_EXAMPLES.get(name), None))
    if description and not parameter.get("description"):
        parameter["description"] = description
    if example is not None and "example" not in parameter and "examples" not in parameter:
        parameter["example"] = example


def _link_example_pages(operation: dict, path: str) -> None:
    content = operation["responses"].get("200", {}).get("content", {})
    for media in content.values():
        for example in media.get("examples", {}).values():
            value = example.get("value")
            if isinstance(value, dict) and {"count", "next", "previous"} <= value.keys():
                value["next"] = f"{EXAMPLE_SITE}{path}?page=3"
                value["previous"] = f"{EXAMPLE_SITE}{path}?page=1"


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
