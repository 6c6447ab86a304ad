"""Page views of procedures per day (counted by catalog.view_counts): the most viewed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .procedure import ProcedurePage


class ProcedureViewDay(models.Model):
    procedure = models.ForeignKey(ProcedurePage, on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField(_("ngày"))
    count = models.PositiveIntegerField(_("lượt xem"), default=0)

    class Meta:
        verbose_name = _("lượt xem thủ tục trong ngày")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "day"], name="unique_procedure_view_day")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.day}: {self.count}"
