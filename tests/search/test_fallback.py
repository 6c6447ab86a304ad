"""Elasticsearch unreachable (ELASTICSEARCH_URL points at a closed port): the database backend
answers and says so, and publishing still keeps the database index up to date."""

from io import StringIO

import pytest
from django.core.management import call_command
from elasticsearch import TransportError

from catalog.models import ProcedurePage
from search import indexing
from search.backends import configured_backend, search, suggest, writing_backends
from search.backends.base import SearchQuery
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import ElasticsearchBackend
from search.documents import all_documents
from search.models import DailyQueryCount, PendingIndexWrite, SearchEntry

from ..factories import ProcedureFactory

CLOSED_PORT = "http://127.0.0.1:9"
NOTICE = "Máy chủ tìm kiếm đang gặp sự cố"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def elasticsearch_down(settings):
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    configured_backend.cache_clear()
    yield
    configured_backend.cache_clear()


@pytest.fixture
def catalogue(agency, civil):
    pages = {
        "birth": ProcedureFactory(
            agency=agency, code="2.000488", title="Đăng ký khai sinh", field=civil
        ),
        "marriage": ProcedureFactory(
            agency=agency, code="2.000528", title="Đăng ký kết hôn", field=civil
        ),
    }
    DatabaseBackend().rebuild(all_documents())
    return pages


def test_the_configured_backend_is_elasticsearch_and_both_are_written():
    assert isinstance(configured_backend(), ElasticsearchBackend)
    assert [backend.name for backend in writing_backends()] == ["elasticsearch", "database"]


def test_search_answers_from_the_database_and_says_it_is_degraded(catalogue):
    results = search(SearchQuery("dang ky khai sinh"))
    assert results.degraded is True
    assert results.backend == "database"
    assert [hit.code for hit in results.hits] == ["2.000488"]
    assert results.total == 1
    assert "<mark>khai</mark>" in results.hits[0].highlight
    assert {f.value for f in results.facets["field"]} == {"ho-tich"}


def test_suggest_answers_from_the_database(catalogue):
    assert {s.title for s in suggest("dang ky k")} == {"Đăng ký kết hôn", "Đăng ký khai sinh"}
    assert [s.code for s in suggest("ket h")] == ["2.000528"]


def test_the_api_says_degraded(client, catalogue):
    response = client.get("/api/v1/search/", {"q": "ket hon"})
    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is True
    assert body["backend"] == "database"
    assert [r["code"] for r in body["results"]] == ["2.000528"]
    suggestions = client.get("/api/v1/suggest/", {"q": "ket h"}).json()["results"]
    assert [s["code"] for s in suggestions] == ["2.000528"]


def test_the_query_log_names_the_backend_that_answered(client, catalogue):
    client.get("/api/v1/search/", {"q": "ket hon"})
    assert list(DailyQueryCount.objects.values_list("folded_query", "results", "backend")) == [
        ("ket hon", 1, "database")
    ]


def test_the_page_shows_the_notice_and_the_results(client, catalogue):
    response = client.get("/tim-kiem/", {"q": "khai sinh"})
    assert response.status_code == 200
    content = response.content.decode()
    assert NOTICE in content
    assert catalogue["birth"].get_url() in content
    assert "Đăng ký <mark>khai</mark> <mark>sinh</mark>" in content


def test_no_notice_when_the_database_is_the_configured_backend(client, catalogue, settings):
    settings.ELASTICSEARCH_URL = ""
    configured_backend.cache_clear()
    content = client.get("/tim-kiem/", {"q": "khai sinh"}).content.decode()
    assert NOTICE not in content
    assert catalogue["birth"].get_url() in content


def test_publishing_while_elasticsearch_is_down_updates_the_database_index(
    agency, catalogue, django_capture_on_commit_callbacks
):
    page = ProcedureFactory(
        agency=agency,
        field=catalogue["birth"].field,
        code="2.000635",
        title="Đăng ký khai tử",
        live=False,
        first_published_at=None,
        last_published_at=None,
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page.save_revision().publish()
    assert indexing.flush in callbacks  # it ran, and did not raise
    assert SearchEntry.objects.filter(procedure_id=page.pk).exists()
    results = search(SearchQuery("khai tu"))
    assert (results.degraded, [hit.code for hit in results.hits]) == (True, ["2.000635"])

    page = ProcedurePage.objects.get(pk=page.pk)
    page.title = "Đăng ký khai tử lưu động"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert search(SearchQuery("khai tu luu dong")).hits[0].title == "Đăng ký khai tử lưu động"

    page = ProcedurePage.objects.get(pk=page.pk)
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert "2.000635" not in [hit.code for hit in search(SearchQuery("khai tu")).hits]
    assert not SearchEntry.objects.filter(procedure_id=page.pk).exists()


def test_deleting_while_elasticsearch_is_down_updates_the_database_index(
    catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ProcedurePage.objects.get(pk=catalogue["marriage"].pk).delete()
    assert search(SearchQuery("ket hon")).hits == []
    assert [hit.code for hit in search(SearchQuery("dang ky")).hits] == ["2.000488"]


def test_rebuild_search_index_fails_loudly_when_elasticsearch_is_down(catalogue):
    with pytest.raises(TransportError):
        call_command("rebuild_search_index", stdout=StringIO())


def test_writes_made_while_elasticsearch_is_down_wait_one_row_per_procedure(
    agency, catalogue, django_capture_on_commit_callbacks
):
    birth = ProcedurePage.objects.get(pk=catalogue["birth"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        birth.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        ProcedurePage.objects.get(pk=birth.pk).save_revision().publish()
    first = PendingIndexWrite.objects.get(pk=birth.pk)  # one row, however often it failed
    assert first.removed is False

    with django_capture_on_commit_callbacks(execute=True):
        ProcedurePage.objects.get(pk=birth.pk).unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        ProcedurePage.objects.get(pk=catalogue["marriage"].pk).delete()
    assert dict(PendingIndexWrite.objects.values_list("procedure_id", "removed")) == {
        birth.pk: True,
        catalogue["marriage"].pk: True,
    }
    assert PendingIndexWrite.objects.get(pk=birth.pk).queued_at > first.queued_at
    with pytest.raises(TransportError):  # nothing to write them to: they stay
        call_command("rebuild_search_index", stdout=StringIO(), stderr=StringIO())
    assert PendingIndexWrite.objects.count() == 2
