"""`migrate` that leaves translated fields ready to read, without questions.

wagtail-modeltranslation adds the per-language columns of Wagtail's Page outside migrations
(its own migrate runs sync_page_translation_fields afterwards). Rows written by data migrations
then have an empty Vietnamese column, so we copy the original values into it.
"""

from django.core.management import call_command
from wagtail_modeltranslation.migrate.management.commands.migrate import Command as MigrateCommand


class Command(MigrateCommand):
    def handle(self, *args, **options):
        options["interactive"] = False
        super().handle(*args, **options)
        call_command("update_translation_fields", verbosity=0)
