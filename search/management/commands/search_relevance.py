"""search_relevance: hit@3, MRR and zero-result rate of the relevance suite, per backend.

Loads fixtures/search/catalogue.json (province "relevance") when it is not there yet, so run it
on a scratch database: DATABASE_URL=sqlite:////tmp/relevance.sqlite3 manage.py search_relevance
--catalogue, --cases and --province run another set, e.g. fixtures/search/heldout/.
"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from catalog.models import ProvincePage
from search.backends import database_backend, writing_backends
from search.documents import all_documents
from search.relevance import CASES, CATALOGUE, PROVINCE, evaluate, load_cases


class Command(BaseCommand):
    help = "Đo chất lượng tìm kiếm (hit@3, MRR, tỉ lệ không có kết quả) trên bộ câu hỏi mẫu."

    def add_arguments(self, parser):
        parser.add_argument("--failures", action="store_true", help="List the cases that miss.")
        parser.add_argument("--catalogue", type=Path, default=CATALOGUE, help="Catalogue file.")
        parser.add_argument("--cases", type=Path, default=CASES, help="Relevance cases (JSON).")
        parser.add_argument("--province", default=PROVINCE, help="Province the cases search.")

    def handle(self, *args, failures: bool, catalogue: Path, cases: Path, province: str, **options):
        if not ProvincePage.objects.filter(code=province).exists():
            call_command("import_catalog", str(catalogue), stdout=self.stderr)
        backends = writing_backends()
        for backend in backends:
            backend.rebuild(all_documents())
        self.stdout.write(
            f"{'backend':<15} {'kind':<15} {'cases':>5} {'hit@3':>6} {'MRR':>6} {'zero':>6}"
        )
        for backend in backends or [database_backend()]:
            report = evaluate(backend, load_cases(cases), province)
            rows = [("all", report.results), *sorted(report.by_kind().items())]
            for kind, results in rows:
                part = type(report)(report.backend, results)
                self.stdout.write(
                    f"{backend.name:<15} {kind:<15} {len(results):>5} {part.hit_at_3:>6.2f}"
                    f" {part.mrr:>6.2f} {part.zero_result_rate:>6.2f}"
                )
            if failures:
                for result in report.results:
                    if (result.case.get("expect") and not result.hit) or result.violations:
                        self.stdout.write(
                            f"  MISS {result.case['kind']}: {result.case['query']!r} → "
                            f"{result.codes[:5]}, expected {result.case['expect']}"
                            f" {result.violations}"
                        )
