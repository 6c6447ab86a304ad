"""Rate limits of the feed: anonymous clients by address, portals by their key (X-Api-Key),
each at its own rate. A client over its limit gets a 429 with Retry-After and a Vietnamese
message (DRF's Throttled)."""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from .models import Portal

KEY_HEADER = "HTTP_X_API_KEY"


class FeedRateThrottle(SimpleRateThrottle):
    """settings.FEED_ANONYMOUS_RATE for clients without a key, the portal's own rate with one."""

    scope = "feed"

    def __init__(self) -> None:
        # Read at each request rather than at import, so settings can change (tests, reloads).
        self.cache = caches["default"]
        self.rate = None

    def allow_request(self, request, view) -> bool:
        self.portal = _portal_of(request)
        self.rate = (
            f"{self.portal.requests_per_minute}/min"
            if self.portal
            else settings.FEED_ANONYMOUS_RATE
        )
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        who = f"portal-{self.portal.pk}" if self.portal else self.get_ident(request)
        return f"throttle_feed_{who}"


def _portal_of(request) -> Portal | None:
    key = request.META.get(KEY_HEADER, "").strip()
    if not key:
        return None
    return Portal.objects.filter(api_key=key, active=True).only("pk", "requests_per_minute").first()
