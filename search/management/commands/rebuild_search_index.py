"""rebuild_search_index: rebuild every active search backend from the published catalogue."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from catalog.records import public_procedures
from search.backends import writing_backends
from search.documents import all_documents


class Command(BaseCommand):
    help = "Xây dựng lại chỉ mục tìm kiếm (Rebuild the search index)."

    def handle(self, *args, **options):
        total = public_procedures().count()
        for backend in writing_backends():
            documents = tqdm(
                all_documents(),
                total=total,
                desc=f"{backend.name}",
                unit="thủ tục",
                disable=not self.stderr.isatty(),
                file=sys.stderr,
            )
            count = backend.rebuild(documents)
            self.stdout.write(f"{backend.name}: {count} thủ tục / procedures indexed")
