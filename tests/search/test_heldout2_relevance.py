"""The second held-out relevance set: procedure names and citizen queries nobody tuned the
search to (fixtures/search/heldout2/, written before any run), measured on the database backend,
and on Elasticsearch whenever ELASTICSEARCH_URL points at a cluster. The targets are those of the
main suite: hit@3 ≥ 0.95, MRR ≥ 0.9, no query with a word of the catalogue without results."""

import json
import os

import pytest
from django.core.management import call_command

from search import text
from search.documents import all_documents
from search.relevance import FIXTURES, evaluate, load_cases

from .engines import BACKENDS, make_backend

HELDOUT = FIXTURES / "heldout2"
CATALOGUE = HELDOUT / "catalogue.json"
CASES = HELDOUT / "relevance.json"
PROVINCE = "heldout2"

pytestmark = pytest.mark.django_db


# Measured when the set was written (2026-12-03, main at 788bda1), before any change made for it
# (82 cases): database hit@3 0.95 (0.951), MRR 0.93; Elasticsearch hit@3 0.91, MRR 0.90 (0.898).
# Elasticsearch then fuzzed every word of a query that matched nothing, so 'mở cây xăng' found
# whatever was near 'mo', 'cay' and 'xang'; it now corrects only the words the index does not
# know, as the database does (a general change, not one for these cases): 0.951 and 0.93 on
# both. Still missed on both: 'TGPL' (no such abbreviation), 'liquor license' (English titles
# say 'alcohol licence'), 'mở nhà thuốc' (no title says 'nhà thuốc'), 'làm thẻ ra vào sân bay'
# (no title says 'sân bay').


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


def test_hit_at_3_is_at_least_095(report):
    assert report.hit_at_3 >= 0.95, (report.backend, report.hit_at_3, misses(report))


def test_mrr_is_at_least_09(report):
    assert report.mrr >= 0.9, (report.backend, report.mrr, misses(report))


def test_no_query_with_a_word_of_the_catalogue_comes_back_empty(report):
    known = catalogue_words()
    empty = [
        r.case["query"]
        for r in report.scored()
        if not r.codes and known & set(text.parse_query(r.case["query"]).words_folded)
    ]
    assert empty == [], report.backend


def catalogue_words() -> set[str]:
    procedures = json.loads(CATALOGUE.read_text(encoding="utf-8"))["procedures"]
    return {word for p in procedures for word in text.parse_query(p["title"]).words_folded}
