"""Deletes the daily query counts older than SEARCH_ANALYTICS_MAX_AGE_DAYS (a year by default),
as Wagtail's searchpromotions_garbage_collect does for its daily hits."""

from django.core.management.base import BaseCommand

from search.models import DailyQueryCount


class Command(BaseCommand):
    help = "Deletes the daily query counts older than SEARCH_ANALYTICS_MAX_AGE_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="keep this many days instead")

    def handle(self, *args, days: int | None = None, **options):
        deleted = DailyQueryCount.garbage_collect(days)
        self.stdout.write(f"{deleted} daily query counts deleted.")
