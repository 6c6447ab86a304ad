"""rebuild_search_index: rebuild every active search backend from the published catalogue."""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from catalog.records import public_procedures
from search.backends import writing_backends
from search.documents import all_documents
from search.indexing import forget_pending, pending_count


class Command(BaseCommand):
    help = "Xây dựng lại chỉ mục tìm kiếm (Rebuild the search index)."

    def handle(self, *args, **options):
        total = public_procedures().count()
        pending = pending_count()
        if pending:
            self.stderr.write(
                f"elasticsearch: {pending} thủ tục chờ ghi / procedures waiting to be written"
            )
        started = timezone.now()
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
            if backend.name != "database":
                # The new indices hold every procedure's latest state, the queued ones too.
                replayed = forget_pending(started)
                self.stdout.write(
                    f"{backend.name}: {replayed} thủ tục chờ ghi đã ghi / pending writes replayed"
                )
