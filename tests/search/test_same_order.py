"""One ranking (search.ranking): on the relevance catalogue, Elasticsearch and the database give
the same first three results for nearly every case, so that a fall-back to the database changes
little. Runs when ELASTICSEARCH_URL points at a node."""

import os

import pytest
from django.core.management import call_command

from search.backends import never_empty
from search.backends.base import SearchQuery
from search.documents import all_documents
from search.relevance import CATALOGUE, PROVINCE, load_cases

from .engines import make_backend

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="needs Elasticsearch: run `make elasticsearch`, set ELASTICSEARCH_URL",
    ),
]


@pytest.fixture(scope="module")
def top_threes(django_db_setup, django_db_blocker):
    from django.db import transaction

    database, elasticsearch = make_backend("database"), make_backend("elasticsearch")
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_catalog", str(CATALOGUE), stdout=open(os.devnull, "w"))  # noqa: SIM115
        for backend in (database, elasticsearch):
            backend.rebuild(all_documents())
        answers = {}
        for case in load_cases():
            query = SearchQuery(case["query"], province=PROVINCE, language=case.get("lang", "vi"))
            answers[case["query"]] = tuple(
                [hit.code for hit in never_empty(backend, query).hits[:3]]
                for backend in (database, elasticsearch)
            )
        transaction.set_rollback(True)
    return answers


def test_both_backends_give_the_same_first_three_results(top_threes):
    differ = {q: pair for q, pair in top_threes.items() if pair[0] != pair[1]}
    assert len(differ) <= 0.05 * len(top_threes), differ
