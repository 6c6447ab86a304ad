"""wagtail-cache keeps only what cms.middleware.PageCacheHeadersMiddleware marked public: the
HTML pages of anonymous visitors. Feeds, files and API answers keep their own cache headers."""

from django.http import HttpRequest, HttpResponse
from wagtail import hooks


@hooks.register("is_request_cacheable")
def not_a_search(request: HttpRequest, is_cacheable: bool) -> bool:
    """Each search is counted in the search analytics, so it is answered every time."""
    return is_cacheable and "q" not in request.GET


@hooks.register("is_response_cacheable")
def only_public_pages(response: HttpResponse, is_cacheable: bool) -> bool:
    """A file's download is counted each time, so only HTML pages are kept."""
    return (
        is_cacheable
        and "public" in response.get("Cache-Control", "")
        and response.get("Content-Type", "").startswith("text/html")
    )
