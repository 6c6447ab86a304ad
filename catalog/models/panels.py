"""The procedure page's editing tabs, in the order of the national procedure record."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import Page


def procedure_edit_handler() -> TabbedInterface:
    """The tabs an editor fills in; fields are named, so the model's module needs nothing here."""
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

    return TabbedInterface(
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
