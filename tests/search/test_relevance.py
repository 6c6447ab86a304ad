"""The relevance suite holds the line on every backend (the database always, Elasticsearch when
ELASTICSEARCH_URL is set): hit@3 at least 0.95, no look-alike above the procedure the citizen
meant, and no input that breaks search."""

import pytest
from django.core.management import call_command

from search.documents import all_documents
from search.relevance import CATALOGUE, evaluate, load_cases

from .engines import BACKENDS, make_backend

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def imported(module_transaction):
    """The fixture catalogue, imported once for every backend and undone at the end."""
    call_command("import_catalog", str(CATALOGUE), stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(scope="module", params=BACKENDS)
def report(request, imported, django_db_blocker):
    """Every case evaluated on one backend, its index rebuilt from the imported catalogue."""
    with django_db_blocker.unblock():
        backend = make_backend(request.param)
        backend.rebuild(all_documents())
        return evaluate(backend)


def test_the_suite_is_large_and_covers_every_kind():
    cases = load_cases()
    kinds = {case["kind"] for case in cases}
    assert len(cases) >= 80
    assert kinds >= {
        "diacritics",
        "none",
        "decomposed",
        "abbreviation",
        "popular",
        "tone",
        "iy",
        "typo",
        "prefix",
        "code",
        "english",
        "lookalike",
        "robustness",
    }


def test_hit_at_3_is_at_least_095(report):
    misses = [(r.case["query"], r.codes[:3]) for r in report.scored() if not r.hit]
    assert report.hit_at_3 >= 0.95, misses


def test_mrr_is_at_least_09(report):
    assert report.mrr >= 0.9, [
        (r.case["query"], r.codes[:3]) for r in report.scored() if r.rank != 1
    ]


def test_no_query_with_a_word_of_the_catalogue_comes_back_empty(report):
    # Every scored case names procedures of the catalogue, so each holds a word of it.
    assert report.zero_result_rate == 0, [r.case["query"] for r in report.scored() if not r.codes]


def test_the_kinds_of_search_that_came_back_empty_are_in_the_suite():
    kinds = {case["kind"] for case in load_cases()}
    assert {"natural", "typo_phrase", "popular_folded"} <= kinds


def test_look_alikes_never_outrank_the_meant_procedure(report):
    violations = [(r.case["query"], r.violations) for r in report.results if r.violations]
    assert violations == []


def test_every_kind_except_typos_is_perfect(report):
    for kind, results in report.by_kind().items():
        scored = [r for r in results if r.case.get("expect")]
        if kind != "typo" and scored:
            assert all(r.hit for r in scored), (
                kind,
                [r.case["query"] for r in scored if not r.hit],
            )
