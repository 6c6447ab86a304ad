"""The change log of the public catalogue: what member portals and national systems sync from
(the feed's changes/, the Atom feeds, webhooks). catalog.changes writes it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeKind(models.TextChoices):
    CREATED = "created", _("thêm mới")
    UPDATED = "updated", _("cập nhật")
    ABOLISHED = "abolished", _("bãi bỏ")
    DELETED = "deleted", _("xóa khỏi danh mục")


class ProcedureChange(models.Model):
    """One change of the public catalogue, in the order it happened: its id is the cursor a
    portal resumes from. A procedure that leaves the public catalogue (deleted, unpublished,
    moved to another province or given another code) leaves a tombstone (`deleted`) under the
    province and code it was known by."""

    kind = models.CharField(_("loại thay đổi"), max_length=10, choices=ChangeKind.choices)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    # Not a foreign key: a tombstone outlives its page.
    page_id = models.IntegerField(_("mã trang"), null=True, db_index=True)
    province = models.CharField(_("mã tỉnh"), max_length=50)
    code = models.CharField(_("mã thủ tục"), max_length=50)
    agency = models.CharField(_("mã cơ quan"), max_length=50, blank=True)
    previous_agency = models.CharField(_("mã cơ quan trước đó"), max_length=50, blank=True)
    title = models.TextField(_("tên thủ tục"), blank=True)

    class Meta:
        verbose_name = _("thay đổi của danh mục")
        verbose_name_plural = _("thay đổi của danh mục")
        indexes = [
            models.Index(fields=["province", "id"]),
            models.Index(fields=["agency", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.kind} {self.province}/{self.code}"


class PublishedProcedure(models.Model):
    """How each procedure of the public catalogue was last announced in the change log: the
    identity its tombstone will carry, and what a new change is compared with."""

    page_id = models.IntegerField(primary_key=True)
    province = models.CharField(max_length=50)
    code = models.CharField(max_length=50)
    agency = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=20)
    title = models.TextField(blank=True)

    class Meta:
        verbose_name = _("thủ tục đã công bố")

    def __str__(self) -> str:
        return f"{self.province}/{self.code}"
