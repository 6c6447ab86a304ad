"""Admin: daily download counts of the forms library, under Reports. Serving: a browser that
already has a form's file gets 304 before Wagtail counts and sends it."""

import datetime

from django.db.models import Sum
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .downloads import has_current_copy, not_modified
from .models import FormDocument, FormDownloadDay

DAYS = 30


class DownloadsReportView(WagtailAdminTemplateMixin, TemplateView):
    """Downloads of forms by day and the most downloaded forms, over the last DAYS days."""

    template_name = "forms_library/admin/downloads.html"
    page_title = _("Lượt tải biểu mẫu")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        since = timezone.localdate() - datetime.timedelta(days=DAYS - 1)
        recent = FormDownloadDay.objects.filter(day__gte=since)
        context["days"] = DAYS
        context["by_day"] = recent.values("day").annotate(total=Sum("count")).order_by("-day")
        context["top"] = (
            recent.values("form", "form__code", "form__title")
            .annotate(total=Sum("count"))
            .order_by("-total", "form__code")[:50]
        )
        return context


@hooks.register("register_admin_urls")
def register_downloads_url():
    return [path("form-downloads/", DownloadsReportView.as_view(), name="form_downloads")]


@hooks.register("register_reports_menu_item")
def register_downloads_menu_item():
    return MenuItem(
        _("Lượt tải biểu mẫu"), reverse("form_downloads"), icon_name="doc-full", order=710
    )


# After Wagtail's collection privacy check (order 0): a restricted form's checksum is not told
# to a visitor who may not see it.
@hooks.register("before_serve_document", order=100)
def answer_a_current_copy(document: FormDocument, request: HttpRequest):
    """304 to a browser that sends back the ETag (SHA-256) of the file: no file, no count."""
    if has_current_copy(request, document.sha256):
        return not_modified(document.sha256)
    return None
