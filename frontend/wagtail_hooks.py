"""wagtail-cache keeps only what cms.middleware.PageCacheHeadersMiddleware marked public: the
HTML pages of anonymous visitors. Feeds, files and API answers keep their own cache headers."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from wagtail import hooks


@hooks.register("is_request_cacheable")
def anonymous_and_not_a_search(request: HttpRequest, is_cacheable: bool) -> bool:
    """The cached copy is the anonymous visitor's: a request with a session (a signed-in editor)
    goes to the view. The cache answers before the session and user are read, so this is told
    by the session cookie. Each search is counted in the search analytics, so it is answered
    every time."""
    has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
    return is_cacheable and not has_session and "q" not in request.GET


@hooks.register("is_response_cacheable")
def only_public_pages(response: HttpResponse, is_cacheable: bool) -> bool:
    """A file's download is counted each time, so only HTML pages are kept."""
    return (
        is_cacheable
        and "public" in response.get("Cache-Control", "")
        and response.get("Content-Type", "").startswith("text/html")
    )
