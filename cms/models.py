"""Site-wide pages and settings: the home page, standard pages, portal settings."""

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    intro = models.TextField(_("giới thiệu"), blank=True)

    subpage_types = ["catalog.ProvincePage", "cms.StandardPage"]
    max_count = 1

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("trang chủ")

    def get_context(self, request, *args, **kwargs):
        # By name, as subpage_types names it: the project room imports no other room.
        province_page = apps.get_model("catalog", "ProvincePage")
        context = super().get_context(request, *args, **kwargs)
        context["provinces"] = province_page.objects.child_of(self).live().order_by("title")
        return context


class StandardPage(Page):
    body = RichTextField(_("nội dung"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]

    class Meta:
        verbose_name = _("trang thông tin")


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

    panels = [
        FieldPanel("portal_name"),
        FieldPanel("contact"),
        FieldPanel("site_notice"),
        FieldPanel("embed_allowed_origins"),
    ]

    class Meta:
        verbose_name = _("cài đặt cổng")
