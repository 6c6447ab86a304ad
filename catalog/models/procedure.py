"""The procedure page: one administrative procedure, as the national database records it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.text import format_lazy
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modeltranslation.translator import translator
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.fields import PlainStreamField, StreamField
from cms.text import fold, normalise_text

from .. import blocks
from ..forms import ProcedurePageForm
from ..levels import (
    LEVEL_2022_LABELS,
    LEVEL_DESCRIPTIONS,
    Level,
    level_label,
    needs_submission_url,
)
from ..validators import submission_url_error
from .panels import procedure_edit_handler
from .places import AgencyPage, ProvincePage
from .taxonomy import Field, LifeEvent, Status, Subject, Tier, in_reading_order


def falls_back_to_vietnamese(obj, attr: str, language: str) -> bool:
    """Whether `obj.attr` shows in Vietnamese in `language`: modeltranslation's fallback, for a
    Vietnamese value with none in that language."""
    return bool(getattr(obj, f"{attr}_vi", None)) and not getattr(obj, f"{attr}_{language}", None)


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

    edit_handler = procedure_edit_handler()

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

    def clean(self, code_checked: bool = False):
        """Rules an editor and the importer both meet; messages stay lazy so that the importer
        can show them in Vietnamese and English. `code_checked`: the caller has already made sure
        that no other procedure of the province has this code (the importer reads them all)."""
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
        if province and self.code and not code_checked:
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

    def untranslated_fields(self, language: str) -> set[str]:
        """The page's translated texts (as catalog/translation.py registers them) shown in
        Vietnamese in `language`. "title" stands for the page's name."""
        if language == "vi":
            return set()
        texts = translator.get_options_for_model(type(self)).get_field_names()
        fields = {
            name
            for name in set(texts) - {"title", "full_title"}
            if falls_back_to_vietnamese(self, name, language)
        }
        if not (
            getattr(self, f"title_{language}", "") or getattr(self, f"full_title_{language}", "")
        ):
            fields.add("title")
        # What the page names from elsewhere: the agency (its title and address) and the field.
        related = {
            "agency": (self.agency, "title"),
            "agency_address": (self.agency, "address"),
            "field": (self.field, "name"),
        }
        for name, (obj, attr) in related.items():
            if obj and falls_back_to_vietnamese(obj, attr, language):
                fields.add(name)
        return fields

    def subjects_in_reading_order(self) -> list[Subject]:
        return in_reading_order(self.subjects.all())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from ..records import procedure_record  # records reads these models

        # One query for the subjects, which the record names and the page marks by language.
        prefetch_related_objects([self], "subjects")
        record = procedure_record(self, request=request)
        online = [c for c in record["channels"] if c["channel"] == blocks.ChannelChoices.ONLINE]
        context.update(
            record=record,
            vi_only=self.untranslated_fields(get_language() or "vi"),
            document_count=sum(len(case["documents"]) for case in record["documents"]),
            online_channel=online[0] if online else None,
        )
        return context
