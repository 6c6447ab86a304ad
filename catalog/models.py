"""The catalogue: provinces, agencies, taxonomies, procedure pages and roadmap targets.

Page tree: HomePage → ProvincePage → AgencyPage → ProcedurePage, so that page permissions can
be given per province and per agency.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.fields import PlainStreamField, StreamField
from cms.text import fold, normalise_text

from . import blocks
from .forms import AgencyPageForm, ProcedurePageForm
from .levels import (
    LEVEL_2022_LABELS,
    LEVEL_DESCRIPTIONS,
    Level,
    level_label,
    needs_submission_url,
)
from .validators import parse_domain_list, submission_url_error


class Tier(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class TierSystem(models.TextChoices):
    THREE = "three", _("Ba cấp: tỉnh, huyện, xã (trước 01/7/2025)")
    TWO = "two", _("Hai cấp: tỉnh, xã (từ 01/7/2025)")


TIERS_IN_FORCE = {
    TierSystem.THREE: [Tier.PROVINCE, Tier.DISTRICT, Tier.COMMUNE],
    TierSystem.TWO: [Tier.PROVINCE, Tier.COMMUNE],
}


class Status(models.TextChoices):
    ACTIVE = "active", _("Đang hiệu lực")
    ABOLISHED = "abolished", _("Đã bãi bỏ")


# --- Taxonomies -----------------------------------------------------------------------------


class Taxonomy(models.Model):
    code = models.CharField(_("mã"), max_length=100, unique=True)
    name = models.CharField(_("tên"), max_length=255)

    panels = [FieldPanel("code"), FieldPanel("name")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.code = normalise_text(self.code)
        self.name = normalise_text(self.name)
        super().save(*args, **kwargs)


class Field(Taxonomy):
    """Lĩnh vực: the sector a procedure belongs to (đất đai, xây dựng, hộ tịch…)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("lĩnh vực")
        verbose_name_plural = pgettext_lazy("plural", "lĩnh vực")


class Subject(Taxonomy):
    """Đối tượng thực hiện: who carries out the procedure (citizen, business, organisation)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("đối tượng thực hiện")
        verbose_name_plural = pgettext_lazy("plural", "đối tượng thực hiện")


class LifeEvent(Taxonomy):
    """Sự kiện đời sống: a moment in life that groups procedures (birth, starting a business…)."""

    description = models.TextField(_("mô tả"), blank=True)

    panels = Taxonomy.panels + [FieldPanel("description")]

    class Meta(Taxonomy.Meta):
        verbose_name = _("sự kiện đời sống")
        verbose_name_plural = pgettext_lazy("plural", "sự kiện đời sống")


# --- Province and agency pages --------------------------------------------------------------


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
        published = ProcedurePage.objects.live().filter(province=self, status=Status.ACTIVE)
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["agencies"] = AgencyPage.objects.child_of(self).live().order_by("tier", "title")
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        procedures = ProcedurePage.objects.child_of(self).live().filter(status=Status.ACTIVE)
        context["procedures"] = procedures.select_related("field").order_by("title")
        return context


# --- Procedure pages ------------------------------------------------------------------------


class ProcedurePage(Page):
    """One administrative procedure, structured as the national procedure database records it."""

    # Identification
    code = models.CharField(
        _("mã thủ tục"), max_length=50, db_index=True, help_text=_('Ví dụ "1.000894".')
    )
    full_title = models.TextField(
        _("tên đầy đủ"),
        blank=True,
        help_text=_("Chỉ dùng khi tên thủ tục dài hơn 255 ký tự; tiêu đề trang là bản rút gọn."),
    )
    decision = models.CharField(
        _("quyết định công bố"), max_length=255, blank=True, help_text=_('Ví dụ "1039/QĐ-UBND".')
    )
    procedure_type = models.CharField(_("loại thủ tục"), max_length=255, blank=True)
    tier_province = models.BooleanField(_("cấp tỉnh"), default=False)
    tier_district = models.BooleanField(_("cấp huyện"), default=False)
    tier_commune = models.BooleanField(_("cấp xã"), default=False)
    field = models.ForeignKey(
        Field,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    # Denormalised from the page tree so that listings and the API filter without tree queries
    # (SET_NULL: deleting a province or agency subtree deletes these pages anyway).
    province = models.ForeignKey(
        ProvincePage,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="procedures",
    )
    agency = models.ForeignKey(
        AgencyPage, on_delete=models.SET_NULL, null=True, editable=False, related_name="procedures"
    )

    # How it is done
    steps = PlainStreamField(
        [("step", blocks.StepBlock())], blank=True, verbose_name=_("trình tự thực hiện")
    )
    channels = PlainStreamField(
        [("channel", blocks.ChannelBlock())], blank=True, verbose_name=_("cách thức thực hiện")
    )
    documents = StreamField(
        [("case", blocks.DocumentCaseBlock())], blank=True, verbose_name=_("thành phần hồ sơ")
    )
    processing_time = models.TextField(_("thời hạn giải quyết"), blank=True)
    fee = models.TextField(_("phí, lệ phí"), blank=True)
    subjects = ParentalManyToManyField(Subject, verbose_name=_("đối tượng thực hiện"), blank=True)

    # Who handles it
    competent_agency = models.CharField(_("cơ quan có thẩm quyền"), max_length=255, blank=True)
    authorised_agency = models.CharField(_("cơ quan được ủy quyền"), max_length=255, blank=True)
    receiving_address = models.TextField(_("địa chỉ tiếp nhận hồ sơ"), blank=True)
    co_agencies = ParentalManyToManyField(
        AgencyPage,
        verbose_name=_("cơ quan phối hợp"),
        blank=True,
        related_name="co_handled_procedures",
    )

    # What comes of it and why
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    legal_basis = PlainStreamField(
        [("legal_document", blocks.LegalDocumentBlock())],
        blank=True,
        verbose_name=_("căn cứ pháp lý"),
    )
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)

    # Finding it
    keywords = models.TextField(
        _("từ khóa"), blank=True, help_text=_("Tên thường gọi, chữ viết tắt; phân cách bằng dấu ;")
    )
    description = RichTextField(
        _("mô tả"), blank=True, features=["bold", "italic", "ol", "ul", "link"]
    )
    related_procedures = ParentalManyToManyField(
        "self", verbose_name=_("thủ tục liên quan"), blank=True, symmetrical=False
    )
    life_events = ParentalManyToManyField(
        LifeEvent, verbose_name=_("sự kiện đời sống"), blank=True, related_name="procedures"
    )

    # Online service
    level = models.PositiveSmallIntegerField(
        _("mức độ dịch vụ công trực tuyến"), choices=Level.choices, default=Level.INFORMATION
    )
    submission_url = models.URLField(_("địa chỉ nộp trực tuyến"), max_length=500, blank=True)
    start_button_text = models.CharField(_("nhãn nút bắt đầu"), max_length=100, blank=True)
    continues_on = models.CharField(
        _("hệ thống tiếp nhận"),
        max_length=255,
        blank=True,
        help_text=_('Tên hệ thống mà người dân sẽ chuyển sang, ví dụ "Cổng Dịch vụ công tỉnh".'),
    )
    other_ways = models.TextField(_("cách nộp khác"), blank=True)
    online_payment = models.BooleanField(_("thanh toán trực tuyến"), default=False)
    downtime_notice = models.TextField(
        _("thông báo gián đoạn"),
        blank=True,
        help_text=_("Hiển thị nổi bật khi hệ thống nộp hồ sơ đang tạm ngừng."),
    )

    # Status
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    abolished_on = models.DateField(_("ngày bãi bỏ"), null=True, blank=True)
    abolishing_decision = models.CharField(_("quyết định bãi bỏ"), max_length=255, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("thủ tục thay thế"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    # Both languages' full titles in the folded form (cms.text.fold), for filters that must find
    # "dang ki" and "đăng ký" in "Đăng ký khai sinh" on any database.
    folded_title = models.TextField(editable=False, blank=True, default="")
    is_sample_content = models.BooleanField(
        _("có nội dung minh họa"),
        default=False,
        help_text=_("Trang có nội dung mẫu để trình diễn, không phải thông tin chính thức."),
    )

    parent_page_types = ["catalog.AgencyPage"]
    subpage_types: list[str] = []
    base_form_class = ProcedurePageForm

    identification_panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("decision")]),
        FieldPanel("title"),
        FieldPanel("full_title"),
        FieldRowPanel(
            [FieldPanel("tier_province"), FieldPanel("tier_district"), FieldPanel("tier_commune")],
            heading=_("Cấp thực hiện"),
        ),
        FieldPanel("procedure_type"),
        FieldPanel("field"),
    ]
    how_panels = [FieldPanel("steps"), FieldPanel("channels")]
    documents_panels = [FieldPanel("documents")]
    time_panels = [FieldPanel("processing_time"), FieldPanel("fee"), FieldPanel("subjects")]
    agency_panels = [
        HelpPanel(content=_("Cơ quan thực hiện là cơ quan chứa trang này trong cây trang.")),
        FieldPanel("competent_agency"),
        FieldPanel("authorised_agency"),
        FieldPanel("receiving_address"),
        FieldPanel("co_agencies"),
    ]
    result_panels = [FieldPanel("result"), FieldPanel("legal_basis"), FieldPanel("requirements")]
    finding_panels = [
        FieldPanel("keywords"),
        FieldPanel("description"),
        FieldPanel("related_procedures"),
        FieldPanel("life_events"),
    ]
    online_panels = [
        FieldPanel("level"),
        FieldPanel("submission_url"),
        FieldRowPanel([FieldPanel("start_button_text"), FieldPanel("continues_on")]),
        FieldPanel("other_ways"),
        FieldPanel("online_payment"),
        FieldPanel("downtime_notice"),
        InlinePanel("roadmap_targets", label=_("Lộ trình")),
    ]
    status_panels = [
        FieldPanel("status"),
        FieldRowPanel([FieldPanel("abolished_on"), FieldPanel("abolishing_decision")]),
        FieldPanel("successor"),
        FieldPanel("is_sample_content"),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(identification_panels, heading=_("Thông tin chung")),
            ObjectList(how_panels, heading=_("Trình tự, cách thức")),
            ObjectList(documents_panels, heading=_("Hồ sơ")),
            ObjectList(time_panels, heading=_("Thời hạn, phí, đối tượng")),
            ObjectList(agency_panels, heading=_("Cơ quan")),
            ObjectList(result_panels, heading=_("Kết quả, căn cứ")),
            ObjectList(finding_panels, heading=_("Từ khóa, liên quan")),
            ObjectList(online_panels, heading=_("Dịch vụ công trực tuyến")),
            ObjectList(status_panels, heading=_("Tình trạng")),
            ObjectList(Page.promote_panels, heading=_("Quảng bá")),
            ObjectList(Page.settings_panels, heading=_("Cài đặt")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("code"),
        index.SearchField("keywords"),
        index.FilterField("province"),
        index.FilterField("agency"),
        index.FilterField("field"),
        index.FilterField("level"),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = pgettext_lazy("plural", "thủ tục hành chính")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "code"], name="unique_procedure_code_per_province"
            )
        ]

    # --- derived values ---

    @property
    def tiers(self) -> list[str]:
        flags = [
            (Tier.PROVINCE, self.tier_province),
            (Tier.DISTRICT, self.tier_district),
            (Tier.COMMUNE, self.tier_commune),
        ]
        return [str(tier) for tier, on in flags if on]

    @tiers.setter
    def tiers(self, values) -> None:
        values = {str(v) for v in values}
        self.tier_province = Tier.PROVINCE in values
        self.tier_district = Tier.DISTRICT in values
        self.tier_commune = Tier.COMMUNE in values

    def get_tiers_display(self) -> list[str]:
        return [Tier(t).label for t in self.tiers]

    @property
    def official_title(self) -> str:
        """The full name in the active language: the full title when that language has one,
        else that language's page title; Vietnamese when nothing is translated."""
        language = get_language() or "vi"
        if language != "vi":
            translated = getattr(self, f"full_title_{language}", "") or getattr(
                self, f"title_{language}", ""
            )
            if translated:
                return translated
        return self.full_title_vi or self.title_vi or self.title

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    @property
    def level_2022_label(self) -> str:
        return LEVEL_2022_LABELS[self.level]

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(";") if k.strip()]

    @property
    def is_abolished(self) -> bool:
        return self.status == Status.ABOLISHED

    def cited_forms(self) -> list[dict]:
        """Every form the required documents name, with the library file when one is attached."""
        cited = []
        for case in self.documents:
            for item in case.value["documents"]:
                if item["form"] or item["form_code"]:
                    cited.append(
                        {"code": item["form_code"], "form": item["form"], "document": item["name"]}
                    )
        return cited

    def missing_forms(self) -> list[str]:
        """Form codes a level 2+ procedure's documents name that the library does not hold yet."""
        if self.level < Level.FORMS:
            return []
        return [c["code"] or c["document"] for c in self.cited_forms() if not c["form"]]

    # --- validation ---

    def full_clean(self, *args, **kwargs):
        # clean() checks the (province, code) constraint with a message editors understand, and
        # a page's translation_key is a fresh UUID: the generic unique checks would only repeat
        # those queries for every page an import saves.
        kwargs.setdefault("validate_unique", False)
        kwargs.setdefault("validate_constraints", False)
        super().full_clean(*args, **kwargs)

    def clean(self):
        """Rules an editor and the importer both meet; messages stay lazy so that the importer
        can show them in Vietnamese and English."""
        super().clean()
        self.code = normalise_text(self.code)
        errors: dict[str, list[ValidationError]] = {}

        def add(field_name: str, message, **params) -> None:
            errors.setdefault(field_name, []).append(ValidationError(message, params=params))

        province = self.province or (self.agency.province if self.agency_id else None)
        allowed = province.allowed_domains if province else []
        url_error = submission_url_error(self.submission_url, self.level, allowed)
        if url_error:
            errors.setdefault("submission_url", []).append(url_error)
        if not self.tiers:
            add("tier_province", _("Chọn ít nhất một cấp thực hiện."))
        elif province and self.status == Status.ACTIVE:
            retired = [Tier(t).label for t in self.tiers if t not in province.tiers_in_force]
            if retired:
                add(
                    "tier_district",
                    _("Tỉnh này không còn áp dụng: %(tiers)s. Hãy chọn cấp đang áp dụng."),
                    tiers=format_lazy(", ".join(["{}"] * len(retired)), *retired),
                )
        if province and self.code:
            clash = ProcedurePage.objects.filter(province=province, code=self.code)
            if clash.exclude(pk=self.pk).exists():
                add(
                    "code",
                    _("Mã thủ tục %(code)s đã được dùng cho thủ tục khác trong tỉnh này."),
                    code=self.code,
                )
        if self.status == Status.ABOLISHED and not self.abolished_on:
            add("abolished_on", _("Thủ tục đã bãi bỏ cần có ngày bãi bỏ."))
        if self.successor_id and self.successor_id == self.pk:
            add("successor", _("Thủ tục không thể thay thế chính nó."))
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.place_in_tree()
        self.folded_title = fold(
            " ".join(
                filter(
                    None,
                    [
                        self.full_title_vi or self.title_vi or self.title,
                        self.full_title_en,
                        self.title_en,
                    ],
                )
            )
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "folded_title"}
        super().save(*args, **kwargs)

    def place_in_tree(self, moved: bool = False) -> None:
        """Copy the agency and province the page sits under onto the denormalised keys.

        Known keys are kept on ordinary saves; after a move (post_page_move) they are read
        from the tree again."""
        if not self.path or (self.agency_id and not moved):
            return
        agency = AgencyPage.objects.ancestor_of(self).select_related("province").last()
        if agency is not None:
            self.agency = agency
            self.province = agency.province

    @property
    def needs_submission_url(self) -> bool:
        return needs_submission_url(self.level)

    @property
    def level_description(self) -> str:
        """What this level lets a citizen do online, in one line (the level badge's caption)."""
        return str(LEVEL_DESCRIPTIONS[self.level])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from .records import procedure_record

        context["record"] = procedure_record(self, request=request)
        return context


class RoadmapTarget(Orderable):
    """Lộ trình: a target level by a date, set by a provincial decision."""

    MET = "met"
    DUE = "due"
    MISSED = "missed"
    STATUS_LABELS = {MET: _("Đã đạt"), DUE: _("Chưa đến hạn"), MISSED: _("Quá hạn, chưa đạt")}

    procedure = ParentalKey(ProcedurePage, on_delete=models.CASCADE, related_name="roadmap_targets")
    target_level = models.PositiveSmallIntegerField(_("mức độ mục tiêu"), choices=Level.choices)
    due_year = models.PositiveSmallIntegerField(_("năm hoàn thành"), null=True, blank=True)
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    source_decision = models.CharField(
        _("văn bản giao chỉ tiêu"),
        max_length=255,
        blank=True,
        help_text=_('Ví dụ "818/QĐ-UBND ngày 04/5/2013".'),
    )
    lead_agency = models.ForeignKey(
        AgencyPage,
        verbose_name=_("cơ quan chủ trì"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    co_agencies = models.TextField(_("cơ quan phối hợp"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("target_level"), FieldPanel("due_year"), FieldPanel("due_date")]),
        FieldPanel("source_decision"),
        FieldPanel("lead_agency"),
        FieldPanel("co_agencies"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("mục tiêu lộ trình")
        verbose_name_plural = pgettext_lazy("plural", "lộ trình")

    def clean(self):
        super().clean()
        if not self.due_year and not self.due_date:
            raise ValidationError({"due_year": _("Nhập năm hoặc ngày hoàn thành.")})
        if self.due_year and self.due_date and self.due_date.year != self.due_year:
            raise ValidationError({"due_date": _("Ngày hoàn thành không khớp với năm.")})

    @property
    def deadline(self) -> datetime.date | None:
        if self.due_date:
            return self.due_date
        if self.due_year:
            return datetime.date(self.due_year, 12, 31)
        return None

    def status(self, today: datetime.date | None = None) -> str:
        if self.procedure.level >= self.target_level and not self.procedure.is_abolished:
            return self.MET
        today = today or timezone.localdate()
        deadline = self.deadline
        if deadline is not None and deadline < today:
            return self.MISSED
        return self.DUE

    def status_label(self) -> str:
        return str(self.STATUS_LABELS[self.status()])
