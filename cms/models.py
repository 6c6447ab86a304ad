"""Site-wide pages and settings: the home page, standard pages, portal settings."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The installation's home; its blocks (provinces, life events, fields…) come from the
    frontend's browse template tags, which may read the catalogue this room may not import."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    subpage_types = ["catalog.ProvincePage", "cms.StandardPage"]
    max_count = 1

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("trang chủ")


class StandardPage(Page):
    body = RichTextField(_("nội dung"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]

    class Meta:
        verbose_name = _("trang thông tin")


LOOKUP_CODE_PLACEHOLDER = "{code}"
# An origin a frame-ancestors source may name: https, a host name, an optional port. Nothing
# else, so that no line of the setting can add a wildcard, a path or another CSP directive.
HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
EMBED_ORIGIN = re.compile(
    rf"https://(?:{HOST_LABEL}\.)*{HOST_LABEL}(?::(?P<port>[1-9][0-9]{{0,4}}))?"
)
MAX_PORT = 65535


def validate_lookup_url(value: str) -> None:
    """An https address with one {code} where the receipt code goes."""
    if value.count(LOOKUP_CODE_PLACEHOLDER) != 1:
        raise ValidationError(_("Địa chỉ phải chứa đúng một chỗ {code} cho mã hồ sơ."))
    URLValidator(schemes=["https"])(value.replace(LOOKUP_CODE_PLACEHOLDER, "MA"))


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Settings of one portal (Wagtail site): who may frame the embed, contact line, notices."""

    portal_name = models.CharField(_("tên cổng"), max_length=255, blank=True)
    contact = models.TextField(_("thông tin liên hệ"), blank=True)
    embed_allowed_origins = models.TextField(
        _("nguồn được phép nhúng"),
        blank=True,
        help_text=_("Mỗi dòng một nguồn, ví dụ https://sotttt.lamdong.gov.vn"),
    )
    site_notice = models.TextField(_("thông báo chung"), blank=True)
    hotline = models.CharField(
        _("đường dây nóng"),
        max_length=50,
        blank=True,
        help_text=_("Số điện thoại hỗ trợ người dân, ví dụ 0263 3 822 120."),
    )
    one_stop_address = models.TextField(
        _("địa chỉ bộ phận một cửa"),
        blank=True,
        help_text=_("Nơi tiếp nhận và trả kết quả hồ sơ trực tiếp."),
    )
    opening_hours = models.CharField(
        _("giờ làm việc"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Thứ Hai đến Thứ Sáu, 7:30–11:30 và 13:30–17:00."),
    )
    status_lookup_url = models.CharField(
        _("địa chỉ tra cứu hồ sơ"),
        max_length=500,
        blank=True,
        validators=[validate_lookup_url],
        help_text=_(
            "Chỉ https; {code} được thay bằng mã hồ sơ, ví dụ "
            "https://dichvucong.lamdong.gov.vn/tra-cuu?ma={code}"
        ),
    )

    panels = [
        FieldPanel("portal_name"),
        FieldPanel("contact"),
        FieldPanel("hotline"),
        FieldPanel("one_stop_address"),
        FieldPanel("opening_hours"),
        FieldPanel("status_lookup_url"),
        FieldPanel("site_notice"),
        FieldPanel("embed_allowed_origins"),
    ]

    class Meta:
        verbose_name = _("cài đặt cổng")

    def clean(self):
        super().clean()
        bad = [
            line.strip()
            for line in self.embed_allowed_origins.splitlines()
            if line.strip() and not embed_origin(line)
        ]
        if bad:
            message = _("Không phải nguồn dạng https://tên-miền[:cổng]: %(lines)s")
            raise ValidationError(
                {
                    "embed_allowed_origins": ValidationError(
                        message, params={"lines": ", ".join(bad)}
                    )
                }
            )

    @property
    def embed_origins(self) -> list[str]:
        """The well-formed origins of `embed_allowed_origins`, each once; the admin refuses
        other lines, and any that came another way are ignored."""
        found = (embed_origin(line) for line in self.embed_allowed_origins.splitlines())
        return list(dict.fromkeys(origin for origin in found if origin))


def embed_origin(line: str) -> str | None:
    """A line of `embed_allowed_origins` as an origin (https://host[:port], lower-cased, a
    trailing slash forgiven), or None when it is not one."""
    origin = line.strip().lower().removesuffix("/")
    match = EMBED_ORIGIN.fullmatch(origin)
    return origin if match and int(match["port"] or 0) <= MAX_PORT else None
