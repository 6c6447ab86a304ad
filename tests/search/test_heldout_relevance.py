"""The held-out relevance set: procedure names and citizen queries the search was not tuned to
(fixtures/search/heldout/), measured on the database backend, and on Elasticsearch whenever
ELASTICSEARCH_URL points at a cluster. The targets are those of the main suite: hit@3 ≥ 0.95,
MRR ≥ 0.9, no query without results."""

import json
import os

import pytest
from django.core.management import call_command

from search.backends.database import DatabaseBackend
from search.documents import all_documents
from search.relevance import FIXTURES, evaluate, load_cases

HELDOUT = FIXTURES / "heldout"
CATALOGUE = HELDOUT / "catalogue.json"
CASES = HELDOUT / "relevance.json"
PROVINCE = "heldout"

pytestmark = pytest.mark.django_db

BACKENDS = ["database"]
if os.environ.get("ELASTICSEARCH_URL"):
    BACKENDS.append("elasticsearch")

# Measured when the set was written (2026-12-03), before any change to the search.
BELOW_TARGET = pytest.mark.xfail(
    strict=False,
    raises=AssertionError,
    reason="held-out set below target: database hit@3 0.89, MRR 0.86, zero 0.01; "
    "elasticsearch hit@3 0.88, MRR 0.87, zero 0.01 (73 cases; misses: 'xin trợ cấp thất "
    "nghiệp ở đâu', 'xin chuyển đất nông nghiệp lên đất ở', 'dang ky xe mays', 'mat so do', "
    "'sang ten so do', 'lên thổ cư', 'TCTN', and on Elasticsearch 'muốn nhận con nuôi thì "
    "làm thủ tục gì')",
)


def make_backend(name):
    if name == "database":
        return DatabaseBackend()
    from search.backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(os.environ["ELASTICSEARCH_URL"], prefix="thutuc-test")


@pytest.fixture(scope="module")
def heldout_catalogue(module_transaction):
    with open(os.devnull, "w") as quiet:
        call_command("import_catalog", str(CATALOGUE), stdout=quiet, stderr=quiet)


@pytest.fixture(scope="module", params=BACKENDS)
def report(request, heldout_catalogue):
    backend = make_backend(request.param)
    backend.rebuild(all_documents())
    return evaluate(backend, load_cases(CASES), PROVINCE)


def misses(report):
    return [(r.case["query"], r.codes[:5]) for r in report.scored() if not r.hit]


def test_every_expected_code_is_in_the_heldout_catalogue():
    codes = {p["code"] for p in json.loads(CATALOGUE.read_text(encoding="utf-8"))["procedures"]}
    cases = load_cases(CASES)
    assert len(codes) >= 100 and len(cases) >= 60
    assert {code for case in cases for code in case["expect"]} <= codes
    assert all(case["expect"] for case in cases)


@BELOW_TARGET
def test_hit_at_3_is_at_least_095(report):
    assert report.hit_at_3 >= 0.95, (report.backend, report.hit_at_3, misses(report))


@BELOW_TARGET
def test_mrr_is_at_least_09(report):
    assert report.mrr >= 0.9, (report.backend, report.mrr, misses(report))


@BELOW_TARGET
def test_no_query_comes_back_empty(report):
    empty = [r.case["query"] for r in report.scored() if not r.codes]
    assert report.zero_result_rate == 0, (report.backend, empty)
