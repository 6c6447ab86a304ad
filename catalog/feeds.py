"""/feeds/procedures.atom: the change log as Atom 1.0, for a province (its own site or
?province=) or an agency (?agency=CODE, procedures that moved away included), the newest first."""

from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import AgencyPage, ChangeKind, ProcedureChange, ProcedurePage
from .records import site_province

ENTRIES = 50


class ProcedureChangesFeed(Feed):
    feed_type = Atom1Feed
    link = "/"

    def get_object(self, request: HttpRequest) -> dict:
        translation.activate("vi")
        province = site_province(request)
        scope = {
            "province": province.code if province else request.GET.get("province", ""),
            "agency": request.GET.get("agency", ""),
        }
        if scope["agency"] and not _agency_known(scope["agency"]):
            raise Http404(_("Không có cơ quan mã %(code)s.") % {"code": scope["agency"]})
        return scope

    def title(self, scope: dict) -> str:
        where = scope["agency"] or scope["province"]
        if where:
            return _("Thay đổi danh mục thủ tục hành chính: %(where)s") % {"where": where}
        return _("Thay đổi danh mục thủ tục hành chính")

    def subtitle(self, scope: dict) -> str:
        return _("Thủ tục được thêm mới, cập nhật, bãi bỏ hoặc xóa khỏi danh mục.")

    def items(self, scope: dict) -> QuerySet[ProcedureChange]:
        changes = ProcedureChange.objects.order_by("-id")
        if scope["province"]:
            changes = changes.filter(province=scope["province"])
        if scope["agency"]:
            changes = changes.filter(Q(agency=scope["agency"]) | Q(previous_agency=scope["agency"]))
        changes = list(changes[:ENTRIES])
        urls = _page_urls(changes)
        for change in changes:
            change.link = urls.get(change.page_id, "/")
        return changes

    def item_title(self, change: ProcedureChange) -> str:
        return f"{change.get_kind_display().capitalize()}: {change.title} ({change.code})"

    def item_description(self, change: ProcedureChange) -> str:
        return _("%(kind)s thủ tục %(code)s của %(province)s, cơ quan %(agency)s.") % {
            "kind": change.get_kind_display().capitalize(),
            "code": change.code,
            "province": change.province,
            "agency": change.agency or "—",
        }

    def item_link(self, change: ProcedureChange) -> str:
        return change.link

    def item_guid(self, change: ProcedureChange) -> str:
        return f"urn:thutuc:change:{change.id}"

    item_guid_is_permalink = False

    def item_updateddate(self, change: ProcedureChange):
        return change.at

    def item_pubdate(self, change: ProcedureChange):
        return change.at

    def item_categories(self, change: ProcedureChange) -> list[str]:
        return [change.kind]


def _agency_known(code: str) -> bool:
    known = AgencyPage.objects.filter(code=code).exists()
    return known or ProcedureChange.objects.filter(previous_agency=code).exists()


def _page_urls(changes: list[ProcedureChange]) -> dict[int, str]:
    """Where each procedure still public is read now (a deleted one links to the home page)."""
    ids = {c.page_id for c in changes if c.kind != ChangeKind.DELETED}
    pages = ProcedurePage.objects.live().public().filter(pk__in=ids)
    return {page.pk: page.url for page in pages}
