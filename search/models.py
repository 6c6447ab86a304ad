"""The search room's tables: the database backend's index, synonyms, the province scope of
promoted results (Wagtail's search promotions) and the daily query counts."""

import datetime
import uuid

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.search_promotions.models import SearchPromotion

from catalog.models import ProcedurePage, ProvincePage


class SearchEntry(models.Model):
    """One procedure as the database backend searches it: pre-normalised shadow columns.

    SQLite keeps a full-text (FTS5) copy of the folded columns in `search_fts`; PostgreSQL
    indexes the same columns with a tsvector and trigram GIN indexes (see the migrations)."""

    procedure = models.OneToOneField(
        ProcedurePage, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    province = models.CharField(max_length=50, db_index=True)
    code = models.CharField(max_length=50, db_index=True)
    status = models.CharField(max_length=20, db_index=True)
    level = models.PositiveSmallIntegerField(db_index=True)
    tiers = models.CharField(max_length=40)  # " province district " (spaces around each)
    agency_code = models.CharField(max_length=100, db_index=True)
    agency_name = models.CharField(max_length=255)
    field_code = models.CharField(max_length=100, db_index=True)
    field_name = models.CharField(max_length=255)
    url = models.CharField(max_length=1000)
    title = models.TextField()
    title_en = models.TextField(blank=True)
    exact_title = models.TextField()
    exact_keywords = models.TextField(blank=True)
    folded_title = models.TextField()
    folded_keywords = models.TextField(blank=True)
    folded_meta = models.TextField(blank=True)  # agency and field names
    folded_body = models.TextField(blank=True)
    body = models.TextField(blank=True)  # as written, for snippets
    popularity = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("mục chỉ mục tìm kiếm")

    def __str__(self) -> str:
        return f"{self.province}/{self.code}"


class IndexVersion(models.Model):
    """One row: a token every write to the database backend's index replaces, so that each
    process knows when its in-memory copy of the filter and facet columns is stale (see
    search.backends.entry_table). A random token, not a counter: a rolled-back write must not
    leave a number another write will reuse."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token

    @classmethod
    def current(cls) -> str:
        return cls.objects.filter(pk=1).values_list("token", flat=True).first() or ""

    @classmethod
    def replace(cls) -> None:
        cls.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


class SearchTerm(models.Model):
    """Words of the indexed titles, keywords and names: the vocabulary typo correction and
    "did you mean" choose from."""

    term = models.CharField(max_length=100, unique=True)
    length = models.PositiveSmallIntegerField(db_index=True)

    def __str__(self) -> str:
        return self.term


class Synonym(models.Model):
    """Editors' synonyms, added to the built-in list (search.synonyms.BUILT_IN).

    A term written with accents expands only queries typed with those accents."""

    term = models.CharField(
        _("từ hoặc cụm từ"),
        max_length=200,
        unique=True,
        help_text=_("Ví dụ GPXD, sổ đỏ, bằng lái xe. Có dấu: chỉ áp dụng khi người dân gõ có dấu."),
    )
    expansions = models.TextField(
        _("có nghĩa là"), help_text=_("Mỗi dòng một cụm từ, ví dụ: giấy phép xây dựng")
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)

    panels = [FieldPanel("term"), FieldPanel("expansions"), FieldPanel("is_active")]

    class Meta:
        verbose_name = _("từ đồng nghĩa")
        verbose_name_plural = pgettext_lazy("plural", "từ đồng nghĩa")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    def expansion_list(self) -> list[str]:
        return [line.strip() for line in self.expansions.splitlines() if line.strip()]


class PromotionScope(models.Model):
    """The province one of Wagtail's search promotions (an editor's best bet) is limited to:
    it then answers that province's searches only, not those of every province."""

    promotion = models.OneToOneField(
        SearchPromotion, on_delete=models.CASCADE, primary_key=True, related_name="scope"
    )
    province = models.ForeignKey(
        ProvincePage,
        verbose_name=_("chỉ áp dụng cho tỉnh"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("phạm vi kết quả ưu tiên")

    def __str__(self) -> str:
        return f"{self.promotion_id} → {self.province_id}"


ANALYTICS_MAX_AGE_DAYS = 366


class DailyQueryCount(models.Model):
    """How many times a query was searched on one day, in one province's search (or all of
    them, ""), and what it found: the editors' analytics. One row per query a day, not per
    search; nothing personal (no IP, no user, not even the query as typed: its folded form).

    The shape of Wagtail's QueryDailyHits (a query, a day, the hits, add_hit, garbage_collect),
    with what its one row per query and day has no room for: the province, the backend that
    answered and the result count."""

    date = models.DateField(db_index=True)
    folded_query = models.CharField(max_length=200)
    province = models.CharField(max_length=50, blank=True)
    backend = models.CharField(max_length=30)
    hits = models.PositiveIntegerField(default=0)
    zero_result_hits = models.PositiveIntegerField(default=0)  # searches that found nothing
    results = models.PositiveIntegerField(default=0)  # what the day's latest search found

    class Meta:
        verbose_name = _("lượt tìm kiếm trong ngày")
        verbose_name_plural = pgettext_lazy("plural", "lượt tìm kiếm trong ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "folded_query", "province", "backend"],
                name="search_one_count_per_query_and_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.folded_query}: {self.hits}"

    @classmethod
    def add_hit(
        cls, folded_query: str, province: str, backend: str, results: int, date=None
    ) -> None:
        """One more search of this query today: an UPDATE that adds one in the database (F(),
        so two workers' hits both count), or the day's first."""
        key = {
            "date": date or timezone.localdate(),
            "folded_query": folded_query,
            "province": province,
            "backend": backend,
        }
        if not cls.add_to(key, results):
            cls.first_hit_of_the_day(key, results)

    @classmethod
    def add_to(cls, key: dict, results: int) -> int:
        zero = int(results == 0)
        return cls.objects.filter(**key).update(
            hits=F("hits") + 1, zero_result_hits=F("zero_result_hits") + zero, results=results
        )

    @classmethod
    def first_hit_of_the_day(cls, key: dict, results: int) -> None:
        """An INSERT; when another worker inserted the row since this one found none, the
        unique constraint refuses it and the hit is added to that row instead."""
        try:
            with transaction.atomic():
                cls.objects.create(
                    **key, hits=1, zero_result_hits=int(results == 0), results=results
                )
        except IntegrityError:
            cls.add_to(key, results)

    @classmethod
    def garbage_collect(cls, days: int | None = None) -> int:
        """Deletes the counts older than `days` (setting SEARCH_ANALYTICS_MAX_AGE_DAYS, a year
        by default); says how many."""
        if days is None:
            days = getattr(settings, "SEARCH_ANALYTICS_MAX_AGE_DAYS", ANALYTICS_MAX_AGE_DAYS)
        oldest = timezone.localdate() - datetime.timedelta(days=days)
        return cls.objects.filter(date__lt=oldest).delete()[0]


class PendingIndexWrite(models.Model):
    """A procedure whose Elasticsearch document could not be written (the cluster was down or
    too slow): kept here, one row per procedure, until a later write or rebuild_search_index
    writes its latest state (indexed if public, else removed). The database backend never
    needs one: its writes are part of the editor's transaction."""

    procedure_id = models.PositiveIntegerField(primary_key=True)  # no FK: deleted ones too
    removed = models.BooleanField(default=False)  # what the failed write was: a removal
    queued_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("thủ tục chờ ghi vào chỉ mục tìm kiếm")
        verbose_name_plural = pgettext_lazy("plural", "thủ tục chờ ghi vào chỉ mục tìm kiếm")

    def __str__(self) -> str:
        return f"{self.procedure_id} ({'removed' if self.removed else 'indexed'})"
