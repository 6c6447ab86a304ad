"""Roadmap targets: the online level a provincial decision sets for a procedure by a date."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
)
from wagtail.models import Orderable

from ..levels import (
    Level,
)
from .places import AgencyPage
from .procedure import ProcedurePage


class RoadmapTarget(Orderable):
    """Lộ trình: a target level by a date, set by a provincial decision."""

    MET = "met"
    DUE = "due"
    MISSED = "missed"
    STATUS_LABELS = {MET: _("Đã đạt"), DUE: _("Chưa đến hạn"), MISSED: _("Quá hạn, chưa đạt")}

    procedure = ParentalKey(ProcedurePage, on_delete=models.CASCADE, related_name="roadmap_targets")
    target_level = models.PositiveSmallIntegerField(_("mức độ mục tiêu"), choices=Level.choices)
    due_year = models.PositiveSmallIntegerField(_("năm hoàn thành"), null=True, blank=True)
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    source_decision = models.CharField(
        _("văn bản giao chỉ tiêu"),
        max_length=255,
        blank=True,
        help_text=_('Ví dụ "818/QĐ-UBND ngày 04/5/2013".'),
    )
    lead_agency = models.ForeignKey(
        AgencyPage,
        verbose_name=_("cơ quan chủ trì"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    co_agencies = models.TextField(_("cơ quan phối hợp"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("target_level"), FieldPanel("due_year"), FieldPanel("due_date")]),
        FieldPanel("source_decision"),
        FieldPanel("lead_agency"),
        FieldPanel("co_agencies"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("mục tiêu lộ trình")
        verbose_name_plural = pgettext_lazy("plural", "lộ trình")

    def clean(self):
        super().clean()
        if not self.due_year and not self.due_date:
            raise ValidationError({"due_year": _("Nhập năm hoặc ngày hoàn thành.")})
        if self.due_year and self.due_date and self.due_date.year != self.due_year:
            raise ValidationError({"due_date": _("Ngày hoàn thành không khớp với năm.")})

    @property
    def deadline(self) -> datetime.date | None:
        if self.due_date:
            return self.due_date
        if self.due_year:
            return datetime.date(self.due_year, 12, 31)
        return None

    def status(self, today: datetime.date | None = None) -> str:
        if self.procedure.level >= self.target_level and not self.procedure.is_abolished:
            return self.MET
        today = today or timezone.localdate()
        deadline = self.deadline
        if deadline is not None and deadline < today:
            return self.MISSED
        return self.DUE

    def status_label(self) -> str:
        return str(self.STATUS_LABELS[self.status()])
