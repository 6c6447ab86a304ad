"""The portals and their delivery log in the admin (Settings menu), with a retry action."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Delivery, Portal
from .webhooks import retry


class PortalViewSet(SnippetViewSet):
    model = Portal
    icon = "site"
    list_display = ["name", "webhook_url", "province", "agency", "requests_per_minute", "active"]
    search_fields = ["name", "webhook_url"]


class DeliveryViewSet(SnippetViewSet):
    model = Delivery
    icon = "mail"
    list_display = [
        "event",
        "portal",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "portal"]
    inspect_view_enabled = True


class PortalsGroup(SnippetViewSetGroup):
    items = (PortalViewSet, DeliveryViewSet)
    menu_label = _("Cổng thành viên")
    menu_icon = "site"
    menu_order = 800


register_snippet(PortalsGroup)


@hooks.register("register_bulk_action")
class RetryDeliveries(SnippetBulkAction):
    display_name = _("Gửi lại")
    aria_label = _("Gửi lại các lần gửi đã chọn")
    action_type = "retry"
    template_name = "portals/confirm_retry.html"
    models = [Delivery]

    @classmethod
    def execute_action(cls, objects, **kwargs):
        for delivery in objects:
            retry(delivery)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "Đã xếp %(count)d lần gửi vào hàng đợi.",
            "Đã xếp %(count)d lần gửi vào hàng đợi.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
