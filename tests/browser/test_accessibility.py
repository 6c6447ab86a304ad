"""axe-core, keyboard focus and screenshots on every page type, in Vietnamese and English.

PAGES is the one table of page types: a name and how to find its address in the catalogue that
`catalogue` builds. A new page type is one line there. Each row runs in both languages: axe finds
no serious or critical WCAG 2.1 A/AA violation, the first link reached by Tab shows a focus ring,
and full-page screenshots at 360 px and 1280 px go to test-results/screenshots/."""

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from catalog.models import Status

from ..factories import (
    AgencyFactory,
    FormDocumentFactory,
    LifeEventFactory,
    ProcedureFactory,
    building_field,
    citing,
    lam_dong_province,
    pdf_bytes,
)
from .axe import assert_no_serious_violations, require_axe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("database_search"),
]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
WIDTHS = (360, 1280)
LANGUAGES = {"vi": "", "en": "/en"}

# page type → (its address in Vietnamese, given the catalogue; the HTTP status it answers with)
PAGES: dict[str, tuple[Callable[[dict], str], int]] = {
    "home": (lambda c: "/", 200),
    "province": (lambda c: c["province"].url, 200),
    "agency": (lambda c: c["agency"].url, 200),
    "procedure-full": (lambda c: c["full"].url, 200),
    "procedure-level3": (lambda c: c["level3"].url, 200),
    "procedure-abolished": (lambda c: c["abolished"].url, 200),
    "search-results": (lambda c: "/tim-kiem/?q=giay+phep+xay+dung", 200),
    "search-nothing": (lambda c: "/tim-kiem/?q=qwxz+zzvk", 200),
    "forms-index": (lambda c: "/bieu-mau/", 200),
    "form-detail": (lambda c: f"/bieu-mau/{c['form'].pk}/", 200),
    "fields": (lambda c: "/linh-vuc/", 200),
    "field": (lambda c: f"/linh-vuc/{c['field'].code}/", 200),
    "life-events": (lambda c: "/su-kien/", 200),
    "life-event": (lambda c: f"/su-kien/{c['life_event'].code}/", 200),
    "status-lookup": (lambda c: "/tra-cuu-ho-so/", 200),
    "help-levels": (lambda c: "/huong-dan/muc-do-truc-tuyen/", 200),
    "help-search": (lambda c: "/huong-dan/cach-tim-kiem/", 200),
    "site-map": (lambda c: "/so-do-trang/", 200),
    "not-found": (lambda c: "/khong-co-trang-nay/", 404),
}

LONG_TEXT = (
    "Tổ chức, cá nhân đề nghị cấp giấy phép xây dựng nộp hồ sơ tại Bộ phận tiếp nhận và trả kết "
    "quả của Trung tâm Phục vụ hành chính công tỉnh; công chức kiểm tra tính đầy đủ, hợp lệ. "
) * 4


@pytest.fixture(autouse=True)
def axe_installed():
    """Before the catalogue is built: skip (or, in CI, fail) at once without axe-core."""
    require_axe()


@pytest.fixture
def catalogue(site_tree) -> dict:
    """A province and two agencies; a procedure with every section full (documents by case,
    three forms, steps, channels, legal basis), a level 3 one and an abolished one."""
    province = lam_dong_province(announced_total=120)
    agency = AgencyFactory(province=province, code="SXD", title="Sở Xây dựng", slug="so-xay-dung")
    AgencyFactory(province=province, code="STP", title="Sở Tư pháp", slug="so-tu-phap")
    forms = [
        FormDocumentFactory(
            code=f"GPXD-0{n}",
            title=f"Đơn đề nghị cấp giấy phép xây dựng, mẫu {n}",
            file=ContentFile(pdf_bytes((f"Mau {n}",)), name=f"Đơn đề nghị {n}.pdf"),
        )
        for n in (1, 2, 3)
    ]
    field = building_field()
    level3 = ProcedureFactory(
        agency=agency,
        code="1.000895",
        title="Cấp giấy phép sửa chữa, cải tạo nhà ở",
        field=field,
        level=3,
        submission_url="https://dichvucong.lamdong.gov.vn/sua-chua",
        continues_on="Cổng Dịch vụ công tỉnh Lâm Đồng",
    )
    full = ProcedureFactory(
        agency=agency,
        code="1.000894",
        title="Cấp giấy phép xây dựng",
        title_en="Construction permit",
        field=field,
        level=4,
        tier_district=True,
        submission_url="https://dichvucong.lamdong.gov.vn/gpxd",
        start_button_text="Nộp hồ sơ trực tuyến",
        continues_on="Cổng Dịch vụ công tỉnh Lâm Đồng",
        other_ways="Nộp trực tiếp hoặc qua bưu chính công ích.",
        online_payment=True,
        processing_time="15 ngày làm việc",
        fee="Nhà ở riêng lẻ: 75.000 đồng/giấy phép",
        receiving_address="36 Trần Phú, Phường 4, Đà Lạt",
        result="Giấy phép xây dựng",
        requirements=LONG_TEXT,
        decision="1039/QĐ-UBND",
        description=f"<p>{LONG_TEXT}</p>",
        documents=citing(*forms),
        steps=[("step", {"title": "Nộp hồ sơ", "description": LONG_TEXT})] * 3,
        channels=[
            (
                "channel",
                {
                    "channel": "online",
                    "processing_time": "15 ngày",
                    "fee": "75.000 đồng",
                    "description": "Qua Cổng Dịch vụ công",
                },
            )
        ],
        legal_basis=[
            (
                "legal_document",
                {
                    "number": "15/2021/NĐ-CP",
                    "summary": "Quản lý dự án đầu tư xây dựng",
                    "date": datetime.date(2021, 3, 3),
                    "issuer": "Chính phủ",
                    "url": "https://vanban.chinhphu.vn/15-2021",
                },
            )
        ],
    )
    abolished = ProcedureFactory(
        agency=agency,
        code="1.000800",
        title="Cấp giấy phép xây dựng tạm",
        field=field,
        status=Status.ABOLISHED,
        abolished_on=datetime.date(2024, 1, 1),
        abolishing_decision="2000/QĐ-UBND",
        successor=full,
    )
    life_event = LifeEventFactory(code="xay-nha", name="Điện lực, nhà ở, đất đai")
    full.life_events.add(life_event)
    return {
        "field": field,
        "life_event": life_event,
        "province": province,
        "agency": agency,
        "full": full,
        "level3": level3,
        "abolished": abolished,
        "form": forms[0],
    }


def focus_is_visible(page) -> bool:
    """Tab to the first link; whether the focused element draws an outline or a box shadow."""
    page.locator("body").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "A":
            break
    else:
        return False
    return page.evaluate(
        """() => {
          const style = getComputedStyle(document.activeElement);
          const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
          return outline || style.boxShadow !== 'none';
        }"""
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(PAGES))
def test_page_type(live_server, page, catalogue, kind, language):
    address, status = PAGES[kind]
    response = page.goto(live_server.url + LANGUAGES[language] + address(catalogue))
    assert response.status == status
    assert page.evaluate("document.documentElement.lang") == language

    assert_no_serious_violations(page)
    assert focus_is_visible(page), f"no visible focus on the first link of {page.url}"
    page.evaluate("document.activeElement.blur()")  # screenshots without the skip link shown
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=SCREENSHOTS / f"{kind}-{language}-{width}.png", full_page=True)
