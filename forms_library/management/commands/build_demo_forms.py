"""build_demo_forms: rewrite the sample form files of fixtures/forms/ from forms.json."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forms_library.samples import MissingFontError, build_all

FORMS_DIR = Path(settings.BASE_DIR) / "fixtures" / "forms"


class Command(BaseCommand):
    help = (
        "Tạo lại các tệp biểu mẫu minh họa trong fixtures/forms/ theo forms.json "
        "(Rebuild the sample form files)."
    )

    def handle(self, *args, **options):
        try:
            written = build_all(FORMS_DIR)
        except MissingFontError as error:
            raise CommandError(str(error)) from error
        for path in written:
            size = path.stat().st_size
            self.stdout.write(f"Đã ghi {path.relative_to(settings.BASE_DIR)} ({size} byte)")
        self.stdout.write(f"Đã ghi {len(written)} tệp. (Wrote {len(written)} files.)")
