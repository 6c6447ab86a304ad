"""Choices and taxonomies: tiers, statuses, fields, subjects and life events."""

from collections.abc import Iterable
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import (
    FieldPanel,
)

from cms.text import fold, normalise_text


class Tier(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class TierSystem(models.TextChoices):
    THREE = "three", _("Ba cấp: tỉnh, huyện, xã (trước 01/7/2025)")
    TWO = "two", _("Hai cấp: tỉnh, xã (từ 01/7/2025)")


TIERS_IN_FORCE = {
    TierSystem.THREE: [Tier.PROVINCE, Tier.DISTRICT, Tier.COMMUNE],
    TierSystem.TWO: [Tier.PROVINCE, Tier.COMMUNE],
}


class Status(models.TextChoices):
    ACTIVE = "active", _("Đang hiệu lực")
    ABOLISHED = "abolished", _("Đã bãi bỏ")


# --- Taxonomies -----------------------------------------------------------------------------


class Taxonomy(models.Model):
    code = models.CharField(_("mã"), max_length=100, unique=True)
    name = models.CharField(_("tên"), max_length=255)

    panels = [FieldPanel("code"), FieldPanel("name")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.code = normalise_text(self.code)
        self.name = normalise_text(self.name)
        super().save(*args, **kwargs)


TaxonomyT = TypeVar("TaxonomyT", bound=Taxonomy)


def in_reading_order(items: Iterable[TaxonomyT]) -> list[TaxonomyT]:
    """Items sorted by the name the reader sees, in the active language. The database cannot do
    it: ordering by an English name leaves the untranslated ones first on SQLite and last on
    PostgreSQL (NULLs), while the reader sees their Vietnamese names among the English ones."""
    return sorted(items, key=lambda item: (fold(item.name), item.name))


class Field(Taxonomy):
    """Lĩnh vực: the sector a procedure belongs to (đất đai, xây dựng, hộ tịch…)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("lĩnh vực")
        verbose_name_plural = pgettext_lazy("plural", "lĩnh vực")


class Subject(Taxonomy):
    """Đối tượng thực hiện: who carries out the procedure (citizen, business, organisation)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("đối tượng thực hiện")
        verbose_name_plural = pgettext_lazy("plural", "đối tượng thực hiện")


class Audience(models.TextChoices):
    CITIZENS = "citizens", _("Công dân")
    BUSINESSES = "businesses", _("Doanh nghiệp")


class LifeEvent(Taxonomy):
    """Sự kiện đời sống: a moment in life that groups procedures (birth, starting a business…),
    grouped as the national portal groups them: for citizens and for businesses."""

    description = models.TextField(_("mô tả"), blank=True)
    audience = models.CharField(
        _("dành cho"), max_length=20, choices=Audience.choices, default=Audience.CITIZENS
    )
    sort_order = models.PositiveSmallIntegerField(
        _("thứ tự hiển thị"), default=0, help_text=_("Số nhỏ hiện trước.")
    )

    panels = Taxonomy.panels + [
        FieldPanel("audience"),
        FieldPanel("sort_order"),
        FieldPanel("description"),
    ]

    class Meta(Taxonomy.Meta):
        ordering = ["audience", "sort_order", "name"]
        verbose_name = _("sự kiện đời sống")
        verbose_name_plural = pgettext_lazy("plural", "sự kiện đời sống")
