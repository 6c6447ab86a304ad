"""Province and agency pages: the levels of the page tree above the procedures."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
)
from wagtail.models import Page
from wagtail.search import index

from cms.text import normalise_text

from ..forms import AgencyPageForm
from ..validators import parse_domain_list
from .taxonomy import TIERS_IN_FORCE, Status, Tier, TierSystem


class ProvincePage(Page):
    """A province's catalogue: its settings, its agencies below it, and the totals it announced."""

    code = models.SlugField(_("mã tỉnh"), max_length=50, unique=True)
    tier_system = models.CharField(
        _("các cấp chính quyền đang áp dụng"),
        max_length=10,
        choices=TierSystem.choices,
        default=TierSystem.THREE,
    )
    allowed_submission_domains = models.TextField(
        _("tên miền nộp hồ sơ trực tuyến được phép"),
        blank=True,
        help_text=_(
            "Mỗi dòng một tên miền, ví dụ dichvucong.lamdong.gov.vn. Tên miền con được chấp nhận."
        ),
    )
    decision = models.CharField(_("quyết định, kế hoạch"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    decision_title = models.TextField(_("trích yếu"), blank=True)
    announced_total = models.PositiveIntegerField(
        _("tổng số thủ tục đã công bố"), null=True, blank=True
    )
    announced_province = models.PositiveIntegerField(
        _("số thủ tục cấp tỉnh"), null=True, blank=True
    )
    announced_district = models.PositiveIntegerField(
        _("số thủ tục cấp huyện"), null=True, blank=True
    )
    announced_commune = models.PositiveIntegerField(_("số thủ tục cấp xã"), null=True, blank=True)
    announced_targets = models.TextField(_("chỉ tiêu đã công bố"), blank=True)
    intro = models.TextField(_("giới thiệu"), blank=True)

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["catalog.AgencyPage"]

    content_panels = Page.content_panels + [
        FieldPanel("code"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("tier_system"), FieldPanel("allowed_submission_domains")],
            heading=_("Cài đặt của tỉnh"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("decision"), FieldPanel("decision_date")]),
                FieldPanel("decision_title"),
                FieldRowPanel(
                    [
                        FieldPanel("announced_total"),
                        FieldPanel("announced_province"),
                        FieldPanel("announced_district"),
                        FieldPanel("announced_commune"),
                    ]
                ),
                FieldPanel("announced_targets"),
            ],
            heading=_("Số liệu đã công bố"),
        ),
    ]

    search_fields = Page.search_fields + [index.SearchField("code")]

    class Meta:
        verbose_name = _("tỉnh")
        verbose_name_plural = pgettext_lazy("plural", "tỉnh")

    @property
    def name(self) -> str:
        return self.title

    @property
    def tiers_in_force(self) -> list[str]:
        return [str(t) for t in TIERS_IN_FORCE[self.tier_system]]

    @property
    def allowed_domains(self) -> list[str]:
        return parse_domain_list(self.allowed_submission_domains)

    def announced_totals(self) -> list[dict]:
        """Each announced total beside the number of published procedures, so the gap is visible."""
        published = self.procedures.live().filter(status=Status.ACTIVE)
        rows = [
            (_("Tổng số"), self.announced_total, published),
            (Tier.PROVINCE.label, self.announced_province, published.filter(tier_province=True)),
            (Tier.DISTRICT.label, self.announced_district, published.filter(tier_district=True)),
            (Tier.COMMUNE.label, self.announced_commune, published.filter(tier_commune=True)),
        ]
        totals = []
        for label, announced, qs in rows:
            if announced is not None:
                count = qs.count()
                totals.append(
                    {
                        "label": label,
                        "announced": announced,
                        "published": count,
                        "gap": max(announced - count, 0),
                    }
                )
        return totals

    def listed_procedures(self):
        """Its live public procedures, abolished ones included (the listing filters those)."""
        return self.procedures.live().public()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["totals"] = self.announced_totals()
        return context


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT_COMMITTEE = "district_committee", _("UBND cấp huyện")
    COMMUNE_COMMITTEE = "commune_committee", _("UBND cấp xã")
    OTHER = "other", _("Khác")


class AgencyPage(Page):
    """An agency (sở, UBND huyện, UBND xã…) and the procedures it leads, below it in the tree."""

    code = models.CharField(_("mã cơ quan"), max_length=100)
    kind = models.CharField(_("loại cơ quan"), max_length=30, choices=AgencyKind.choices)
    tier = models.CharField(_("cấp"), max_length=10, choices=Tier.choices, default=Tier.PROVINCE)
    province = models.ForeignKey(
        ProvincePage, on_delete=models.SET_NULL, related_name="agencies", null=True, editable=False
    )
    parent_agency = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="child_agencies",
    )
    address = models.TextField(_("địa chỉ"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("trang thông tin điện tử"), blank=True)
    opening_hours = models.CharField(
        _("giờ tiếp nhận hồ sơ"),
        max_length=255,
        blank=True,
        help_text=_("Để trống khi giống giờ làm việc chung trong cài đặt cổng."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế thừa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )

    parent_page_types = ["catalog.ProvincePage"]
    subpage_types = ["catalog.ProcedurePage"]
    base_form_class = AgencyPageForm

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind"), FieldPanel("tier")]),
        FieldPanel("parent_agency"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("website"),
                FieldPanel("opening_hours"),
            ],
            heading=_("Liên hệ"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
                FieldPanel("successor"),
            ],
            heading=_("Hiệu lực"),
        ),
    ]

    search_fields = Page.search_fields + [index.SearchField("code"), index.FilterField("province")]

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = pgettext_lazy("plural", "cơ quan")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "code"], name="unique_agency_code_per_province"
            )
        ]

    @property
    def name(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        self.code = normalise_text(self.code).upper()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu.")})
        if self.province_id and self.code:
            clash = AgencyPage.objects.filter(province_id=self.province_id, code=self.code)
            if clash.exclude(pk=self.pk).exists():
                message = _("Mã cơ quan %(code)s đã có trong tỉnh này.")
                raise ValidationError(
                    {"code": ValidationError(message, params={"code": self.code})}
                )

    def save(self, *args, **kwargs):
        self.province = self.find_province()
        super().save(*args, **kwargs)

    def find_province(self) -> ProvincePage | None:
        if not self.path:
            return self.province
        return ProvincePage.objects.ancestor_of(self).first()

    def listed_procedures(self):
        """The live public procedures it leads (its children), abolished ones included: the
        listing (catalog.listing, through the template) filters and pages them."""
        return self.procedures.live().public()

    @property
    def listing_tiers(self) -> list[str]:
        return self.province.tiers_in_force if self.province else [t.value for t in Tier]
