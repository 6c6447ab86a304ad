"""The list endpoint reads a page of records in a fixed number of queries, whatever its size."""

import pytest
from django.core.cache import caches

from catalog.models import RoadmapTarget

from ..factories import LifeEventFactory, ProcedureFactory, SubjectFactory


def make_procedures(agency, count):
    event, subject = LifeEventFactory(), SubjectFactory()
    for _ in range(count):
        page = ProcedureFactory(agency=agency)
        page.life_events.add(event)
        page.subjects.add(subject)
        page.co_agencies.add(agency)
        page.save()
        RoadmapTarget.objects.create(procedure=page, target_level=3, due_year=2030)


def count_queries(client, django_assert_max_num_queries, limit, cold=True):
    if cold:  # every record built, none read from catalog.record_cache
        caches["records"].clear()
    with django_assert_max_num_queries(limit) as captured:
        response = client.get("/api/v1/procedures/", {"page_size": 500})
    assert response.status_code == 200
    return len(captured.captured_queries), response.json()["count"]


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_results(client, agency, django_assert_max_num_queries):
    make_procedures(agency, 3)
    client.get("/api/v1/procedures/")  # warm the site and content-type caches
    few, count_few = count_queries(client, django_assert_max_num_queries, 30)
    make_procedures(agency, 12)
    many, count_many = count_queries(client, django_assert_max_num_queries, 30)
    assert (count_few, count_many) == (3, 15)
    assert many == few


@pytest.mark.django_db
def test_a_page_of_kept_records_reads_no_procedure(client, agency, django_assert_max_num_queries):
    make_procedures(agency, 12)
    client.get("/api/v1/procedures/", {"page_size": 500})  # builds and keeps the 12 records
    cold, _ = count_queries(client, django_assert_max_num_queries, 30)
    warm, count = count_queries(client, django_assert_max_num_queries, 30, cold=False)
    assert count == 12
    assert warm < cold
