"""The search room's tables: the database backend's index, synonyms, best bets and the query log."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel

from catalog.models import ProcedurePage, ProvincePage

from . import text


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


class BestBet(models.Model):
    """An editor pins a procedure to the top of the results for a query."""

    query = models.CharField(_("câu tìm kiếm"), max_length=200)
    folded_query = models.CharField(max_length=200, editable=False, db_index=True)
    procedure = models.ForeignKey(
        ProcedurePage, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="+"
    )
    province = models.ForeignKey(
        ProvincePage,
        verbose_name=_("chỉ áp dụng cho tỉnh"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    panels = [
        FieldPanel("query"),
        FieldPanel("procedure"),
        FieldPanel("province"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("kết quả ưu tiên")
        verbose_name_plural = pgettext_lazy("plural", "kết quả ưu tiên")
        ordering = ["folded_query", "sort_order"]

    def __str__(self) -> str:
        return f"{self.query} → {self.procedure.code}"

    def save(self, *args, **kwargs):
        self.folded_query = text.fold(self.query)
        super().save(*args, **kwargs)


class QueryLog(models.Model):
    """One search a citizen made (no personal data: no IP, no user), for editors' analytics."""

    folded_query = models.CharField(max_length=200, db_index=True)
    query = models.CharField(max_length=200)
    province = models.CharField(max_length=50, blank=True)
    results = models.PositiveIntegerField()
    backend = models.CharField(max_length=30)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("lượt tìm kiếm")
        verbose_name_plural = pgettext_lazy("plural", "lượt tìm kiếm")

    def __str__(self) -> str:
        return f"{self.query} ({self.results})"
