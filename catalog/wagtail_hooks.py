"""Admin: taxonomies as snippets, a flat procedure listing with the editors' filters, and a
warning naming the forms a level 2+ procedure still lacks."""

import django_filters
from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .levels import Level
from .models import AgencyPage, Field, LifeEvent, ProcedurePage, ProvincePage, Status, Subject, Tier
from .publishing import IMPORT_ACTION
from .view_counts import PROCEDURE_HEADER


class ProcedureAdminFilterSet(PageFilterSet):
    province = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Tỉnh"), queryset=ProvincePage.objects.order_by("title")
    )
    agency = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Cơ quan thực hiện"),
        queryset=AgencyPage.objects.select_related("province").order_by("province__title", "title"),
    )
    field = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Lĩnh vực"), queryset=Field.objects.order_by("name")
    )
    tier = django_filters.ChoiceFilter(
        label=gettext_lazy("Cấp thực hiện"), choices=Tier.choices, method="filter_tier"
    )
    level = django_filters.ChoiceFilter(label=gettext_lazy("Mức độ"), choices=Level.choices)
    status = django_filters.ChoiceFilter(label=gettext_lazy("Tình trạng"), choices=Status.choices)

    class Meta:
        model = ProcedurePage
        fields: list[str] = []

    def filter_tier(self, queryset, name, value):
        return queryset.filter(**{f"tier_{value}": True})


class ProcedureListingViewSet(PageListingViewSet):
    icon = "list-ul"
    menu_label = gettext_lazy("Thủ tục hành chính")
    menu_order = 150
    add_to_admin_menu = True
    model = ProcedurePage
    filterset_class = ProcedureAdminFilterSet
    columns = [
        *PageListingViewSet.columns[:2],
        Column("code", label=gettext_lazy("Mã"), sort_key="code", width="12%"),
        Column("agency", label=gettext_lazy("Cơ quan"), width="18%"),
        Column("level", label=gettext_lazy("Mức độ"), sort_key="level", width="8%"),
        Column("get_status_display", label=gettext_lazy("Tình trạng"), width="10%"),
        *PageListingViewSet.columns[3:],
    ]


procedure_listing = ProcedureListingViewSet("procedures")


@hooks.register("register_admin_viewset")
def register_procedure_listing():
    return procedure_listing


class FieldViewSet(SnippetViewSet):
    model = Field
    icon = "tag"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class LifeEventViewSet(SnippetViewSet):
    model = LifeEvent
    icon = "calendar-alt"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class SubjectViewSet(SnippetViewSet):
    model = Subject
    icon = "group"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Phân loại")
    menu_icon = "folder-open-inverse"
    menu_order = 160
    items = (FieldViewSet, SubjectViewSet, LifeEventViewSet)


register_snippet(TaxonomyGroup)


def warn_missing_forms(request, page) -> None:
    page = page.specific
    if not isinstance(page, ProcedurePage):
        return
    missing = page.get_latest_revision_as_object().missing_forms()
    if missing:
        messages.warning(
            request,
            _("Thủ tục mức độ %(level)s còn thiếu tệp biểu mẫu: %(forms)s.")
            % {"level": page.level, "forms": "; ".join(missing)},
        )


hooks.register("after_create_page", warn_missing_forms)
hooks.register("after_edit_page", warn_missing_forms)


@hooks.register("register_log_actions")
def register_import_log_action(actions):
    @actions.register_action(IMPORT_ACTION)
    class ImportedFromFile(LogFormatter):
        label = gettext_lazy("Nhập và xuất bản từ tệp")

        def format_message(self, log_entry):
            if log_entry.data.get("created"):
                message = _("Tạo và xuất bản từ %(source)s")
            else:
                message = _("Cập nhật và xuất bản từ %(source)s")
            return message % {"source": log_entry.data.get("source", "")}

        def format_comment(self, log_entry):
            return log_entry.data.get("source", "")


@hooks.register("on_serve_page")
def name_the_procedure(serve_chain):
    """The served procedure page's response names it, for catalog.view_counts to count (and
    strip) even when a page cache serves the response later."""

    def serve(page, request, args, kwargs):
        response = serve_chain(page, request, args, kwargs)
        if isinstance(page, ProcedurePage):
            response[PROCEDURE_HEADER] = str(page.pk)
        return response

    return serve
