"""Rate limits of the feed: anonymous clients by address, a portal's key at its own rate."""

import pytest
from django.core.cache import cache

from portals.models import Portal

LIST = "/api/v1/fields/"


@pytest.fixture
def limited(db, settings):
    settings.FEED_ANONYMOUS_RATE = "3/min"
    cache.clear()
    yield
    cache.clear()


def test_an_anonymous_client_over_its_limit_gets_429_with_retry_after(client, limited):
    assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(LIST)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Quá nhiều yêu cầu")
    english = client.get(LIST, {"lang": "en"})
    assert english.json()["detail"].startswith("Too many requests")


def test_a_portal_key_has_its_own_higher_limit(client, limited):
    portal = Portal.objects.create(name="Cổng Sở Xây dựng", requests_per_minute=10)
    for _ in range(3):
        client.get(LIST)
    assert client.get(LIST).status_code == 429
    statuses = [client.get(LIST, HTTP_X_API_KEY=portal.api_key).status_code for _ in range(10)]
    assert statuses == [200] * 10
    assert client.get(LIST, HTTP_X_API_KEY=portal.api_key).status_code == 429


def test_an_unknown_or_inactive_key_counts_as_anonymous(client, limited):
    portal = Portal.objects.create(name="Cổng cũ", active=False)
    for _ in range(3):
        client.get(LIST, HTTP_X_API_KEY="khong-dung")
    assert client.get(LIST, HTTP_X_API_KEY=portal.api_key).status_code == 429
