"""The relevance suite: queries citizens type, with the procedures they expect in the top 3.

fixtures/search/catalogue.json is a catalogue of real procedure names (import format);
fixtures/search/relevance.json lists the cases. `manage.py search_relevance` prints hit@3,
MRR and the zero-result rate per backend; tests/search/test_relevance.py holds the line.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .backends import never_empty
from .backends.base import SearchBackend, SearchQuery

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "search"
CATALOGUE = FIXTURES / "catalogue.json"
CASES = FIXTURES / "relevance.json"
PROVINCE = "relevance"
TOP = 3


def load_cases(path: Path = CASES) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["cases"]


@dataclass
class CaseResult:
    case: dict
    codes: list[str]
    rank: int | None  # 1-based rank of the first expected code, None when absent
    violations: list[str] = field(default_factory=list)

    @property
    def hit(self) -> bool:
        return self.rank is not None and self.rank <= TOP


def evaluate_case(backend: SearchBackend, case: dict, province: str = PROVINCE) -> CaseResult:
    query = SearchQuery(
        text=case["query"], province=province, language=case.get("lang", "vi"), page_size=10
    )
    codes = [hit.code for hit in never_empty(backend, query).hits]
    expected = case.get("expect", [])
    rank = next((i for i, code in enumerate(codes, start=1) if code in expected), None)
    violations = []
    for code in case.get("must_not_top", []):
        if code in codes and (rank is None or codes.index(code) + 1 < rank):
            violations.append(f"{code} ranks above the expected procedure")
    return CaseResult(case, codes, rank, violations)


@dataclass
class Report:
    backend: str
    results: list[CaseResult]

    def scored(self) -> list[CaseResult]:
        return [r for r in self.results if r.case.get("expect")]

    @property
    def hit_at_3(self) -> float:
        scored = self.scored()
        return sum(r.hit for r in scored) / len(scored) if scored else 1.0

    @property
    def mrr(self) -> float:
        scored = self.scored()
        return sum(1 / r.rank for r in scored if r.rank) / len(scored) if scored else 1.0

    @property
    def zero_result_rate(self) -> float:
        scored = self.scored()
        return sum(not r.codes for r in scored) / len(scored) if scored else 0.0

    def by_kind(self) -> dict[str, list[CaseResult]]:
        kinds = defaultdict(list)
        for result in self.results:
            kinds[result.case.get("kind", "")].append(result)
        return dict(kinds)


def evaluate(
    backend: SearchBackend, cases: list[dict] | None = None, province: str = PROVINCE
) -> Report:
    return Report(
        backend.name, [evaluate_case(backend, c, province) for c in cases or load_cases()]
    )
