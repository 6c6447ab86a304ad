"""A member portal (a department's, a district's, a commune's site) and its webhook deliveries."""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel


def new_key() -> str:
    return secrets.token_urlsafe(24)


class Portal(models.Model):
    """Who may call the feed with a key (higher limits), and where its changes are pushed."""

    name = models.CharField(_("tên cổng"), max_length=200)
    contact_email = models.EmailField(_("thư điện tử liên hệ"), blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    api_key = models.CharField(
        _("khóa API"),
        max_length=64,
        unique=True,
        default=new_key,
        help_text=_("Cổng gửi khóa này trong tiêu đề X-Api-Key."),
    )
    requests_per_minute = models.PositiveIntegerField(_("số yêu cầu mỗi phút"), default=600)
    webhook_url = models.URLField(
        _("địa chỉ nhận webhook"),
        blank=True,
        help_text=_("Chỉ https. Để trống nếu cổng chỉ đọc API."),
    )
    webhook_secret = models.CharField(
        _("khóa bí mật webhook"),
        max_length=64,
        default=new_key,
        help_text=_("Dùng để ký nội dung (HMAC-SHA256, tiêu đề X-Signature-256)."),
    )
    province = models.CharField(
        _("mã tỉnh"), max_length=50, blank=True, help_text=_("Để trống: mọi tỉnh.")
    )
    agency = models.CharField(
        _("mã cơ quan"), max_length=100, blank=True, help_text=_("Để trống: mọi cơ quan.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("contact_email"),
        FieldPanel("active"),
        MultiFieldPanel(
            [FieldPanel("api_key"), FieldPanel("requests_per_minute")], heading=_("Truy cập API")
        ),
        MultiFieldPanel(
            [
                FieldPanel("webhook_url"),
                FieldPanel("webhook_secret"),
                FieldRowPanel([FieldPanel("province"), FieldPanel("agency")]),
            ],
            heading=_("Webhook"),
        ),
    ]

    class Meta:
        verbose_name = _("cổng thành viên")
        verbose_name_plural = _("cổng thành viên")

    def __str__(self) -> str:
        return self.name

    def wants(self, province: str, agency: str, previous_agency: str) -> bool:
        """Whether a change of this province and agency is in the portal's scope (a procedure
        moving away from its agency is too: the portal must drop it)."""
        if self.province and self.province != province:
            return False
        return not self.agency or self.agency in (agency, previous_agency)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("đang chờ gửi")
    DELIVERED = "delivered", _("đã gửi")
    RETRYING = "retrying", _("sẽ gửi lại")
    FAILED = "failed", _("thất bại")


class Delivery(models.Model):
    """One event for one portal: the body is fixed when the change is logged, so every attempt
    sends (and signs) the same bytes."""

    id = models.UUIDField(_("mã lần gửi"), primary_key=True, default=uuid.uuid4, editable=False)
    portal = models.ForeignKey(
        Portal, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("cổng")
    )
    event = models.CharField(_("sự kiện"), max_length=40)
    change_id = models.BigIntegerField(_("vị trí thay đổi"), db_index=True)
    body = models.TextField(_("nội dung"))
    status = models.CharField(
        _("tình trạng"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("mã trả về"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    next_attempt_at = models.DateTimeField(_("lần thử tiếp theo"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("thời điểm gửi được"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lần gửi webhook")
        verbose_name_plural = _("nhật ký gửi webhook")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} → {self.portal} ({self.get_status_display()})"
