"""Requests that change something are all written or not at all; reads take no transaction
(on SQLite one would take the write lock, so reads would queue behind each other)."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from cms.middleware import AtomicWritesMiddleware
from search.models import Synonym

pytestmark = pytest.mark.django_db(transaction=True)


def served(method: str, view) -> HttpResponse:
    """The request through the middleware, the view called as Django's handler calls it: an
    exception goes to process_exception, then becomes a 500."""
    middleware = AtomicWritesMiddleware(lambda request: None)

    def get_response(request):
        try:
            return view(request)
        except Exception as error:  # what Django's handler does with it
            middleware.process_exception(request, error)
            return HttpResponse(status=500)

    middleware.get_response = get_response
    return middleware(getattr(RequestFactory(), method.lower())("/"))


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_a_read_runs_without_a_transaction(method):
    seen = []
    served(method, lambda request: seen.append(connection.in_atomic_block) or HttpResponse())
    assert seen == [False]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_write_runs_in_one_transaction(method):
    seen = []
    served(method, lambda request: seen.append(connection.in_atomic_block) or HttpResponse())
    assert seen == [True]


def test_a_write_that_fails_leaves_nothing_written():
    def half_written(request):
        Synonym.objects.create(term="gpxd", expansions="giấy phép xây dựng")
        raise RuntimeError("after the first write")

    assert served("POST", half_written).status_code == 500
    assert not Synonym.objects.exists()


def test_a_write_that_succeeds_is_kept():
    def write(request):
        Synonym.objects.create(term="gpxd", expansions="giấy phép xây dựng")
        return HttpResponse()

    served("POST", write)
    assert Synonym.objects.filter(term="gpxd").exists()


def test_the_middleware_is_next_to_the_view(settings):
    """Last, so that no other middleware runs inside the transaction and outside the view."""
    assert settings.MIDDLEWARE[-1] == "cms.middleware.AtomicWritesMiddleware"
    assert not settings.DATABASES["default"].get("ATOMIC_REQUESTS")


def test_the_search_views_are_plain_views():
    """No per-view exemption is needed any more (it was `non_atomic_requests`)."""
    assert not hasattr(resolve("/tim-kiem/").func, "_non_atomic_requests")
