"""Admin: synonyms as snippets; promoted results on Wagtail's screens (search.promotions);
search analytics under Reports; a home-page notice while Elasticsearch writes wait."""

import datetime

from django.db.models import Sum
from django.db.models.functions import TruncWeek
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import promotions
from .models import DailyQueryCount, PendingIndexWrite, Synonym

WEEKS = 8


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "list-ul"
    list_display = ["term", "expansions", "is_active"]
    search_fields = ["term", "expansions"]


class SearchGroup(SnippetViewSetGroup):
    menu_label = _("Tìm kiếm")
    menu_icon = "search"
    menu_order = 170
    items = (SynonymViewSet,)


register_snippet(SearchGroup)


class SearchAnalyticsView(WagtailAdminTemplateMixin, TemplateView):
    """Searches and searches without result, by week; the most searched queries and those
    without result, over the last weeks (from the daily counts)."""

    template_name = "search/admin/analytics.html"
    page_title = _("Thống kê tìm kiếm")
    header_icon = "search"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        since = timezone.localdate() - datetime.timedelta(weeks=WEEKS)
        recent = DailyQueryCount.objects.filter(date__gte=since)
        context["weeks"] = (
            recent.annotate(week=TruncWeek("date"))
            .values("week")
            .annotate(queries=Sum("hits"), zero=Sum("zero_result_hits"))
            .order_by("-week")
        )
        context["top"] = self.top(recent, "hits")
        context["zero"] = self.top(recent.filter(zero_result_hits__gt=0), "zero_result_hits")
        return context

    def top(self, counts, hits: str, limit: int = 25):
        return (
            counts.values("folded_query")
            .annotate(n=Sum(hits))
            .order_by("-n", "folded_query")[:limit]
        )


@hooks.register("register_admin_urls", order=-1)  # ahead of Wagtail's, at the same addresses
def register_promotion_urls():
    return [
        path("searchpicks/add/", promotions.CreateView.as_view(), name="search_promotion_add"),
        path(
            "searchpicks/<int:query_id>/",
            promotions.EditView.as_view(),
            name="search_promotion_edit",
        ),
    ]


@hooks.register("register_admin_urls")
def register_analytics_url():
    return [path("search-analytics/", SearchAnalyticsView.as_view(), name="search_analytics")]


@hooks.register("construct_reports_menu")
def hide_wagtails_search_terms_report(request, menu_items):
    """Searches are counted in DailyQueryCount (the report above), not in Wagtail's daily hits,
    so its Search terms report would stay empty."""
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]


@hooks.register("register_reports_menu_item")
def register_analytics_menu_item():
    return MenuItem(
        _("Thống kê tìm kiếm"), reverse("search_analytics"), icon_name="search", order=700
    )


class PendingIndexWritesPanel(Component):
    """On the admin's home page, while procedures wait to be written to Elasticsearch (it was
    down or too slow): how many, and what brings them back."""

    name = "pending_index_writes"
    template_name = "search/admin/pending_index_writes.html"
    order = 50  # above the editors' own panels: search is not showing their latest changes

    def render_html(self, parent_context=None) -> str:
        if not PendingIndexWrite.objects.exists():
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None) -> dict:
        return {"count": PendingIndexWrite.objects.count()}


@hooks.register("construct_homepage_panels")
def add_pending_index_writes_panel(request, panels) -> None:
    panels.append(PendingIndexWritesPanel())
