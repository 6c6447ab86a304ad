"""A citizen on a small phone browses: home → life event → procedure, and an agency's list,
filtered and paged with JavaScript off."""

import pytest

from catalog.listing import PER_PAGE

from ..factories import (
    AgencyFactory,
    FieldFactory,
    LifeEventFactory,
    ProcedureFactory,
    lam_dong_province,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PORTAL = "https://dichvucong.lamdong.gov.vn/khai-sinh"


def fits_360(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_home_to_life_event_to_procedure(live_server, page, site_tree):
    agency = AgencyFactory(province=lam_dong_province(), code="STP", title="Sở Tư pháp")
    event = LifeEventFactory(code="co-con-nho", name="Có con nhỏ", audience="citizens")
    birth = ProcedureFactory(
        agency=agency,
        title="Đăng ký khai sinh",
        level=3,
        submission_url=PORTAL,
        continues_on="Cổng Dịch vụ công tỉnh Lâm Đồng",
    )
    birth.life_events.add(event)
    birth.save()

    page.goto(live_server.url + "/")
    assert page.get_by_label("Tìm thủ tục hành chính").is_visible()
    assert fits_360(page)
    page.get_by_role("link", name="Có con nhỏ").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Có con nhỏ"
    assert fits_360(page)
    page.get_by_role("link", name="Đăng ký khai sinh").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Đăng ký khai sinh"
    start = page.get_by_role("link", name="Bắt đầu nộp hồ sơ")
    assert start.get_attribute("href") == PORTAL


def test_agency_filters_and_pages_without_javascript(live_server, browser, site_tree):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False
    )
    page = context.new_page()
    agency = AgencyFactory(province=lam_dong_province(), code="SXD", title="Sở Xây dựng")
    building, civil = (
        FieldFactory(code="xay-dung", name="Xây dựng"),
        FieldFactory(code="ho-tich", name="Hộ tịch"),
    )
    for n in range(PER_PAGE + 3):
        ProcedureFactory(agency=agency, title=f"Xây dựng {n:02d}", slug=f"xd-{n}", field=building)
    ProcedureFactory(agency=agency, title="Khai sinh", slug="ks", field=civil)
    try:
        page.goto(live_server.url + agency.url)
        assert page.get_by_text("trang 1 / 2").is_visible()
        assert fits_360(page)
        page.get_by_role("link", name="Trang sau").click()
        assert page.get_by_text("trang 2 / 2").is_visible()
        assert page.locator("ul.procedures li").count() == 4

        page.get_by_label("Lĩnh vực").select_option("xay-dung")
        page.get_by_role("button", name="Lọc", exact=True).click()
        assert "field=xay-dung" in page.url
        assert page.get_by_label("Lĩnh vực").input_value() == "xay-dung"
        assert page.get_by_role("heading", name=f"{PER_PAGE + 3} thủ tục").is_visible()
        page.get_by_role("link", name="Trang sau").click()
        assert "field=xay-dung" in page.url and "page=2" in page.url
        assert page.locator("ul.procedures li").count() == 3
        assert fits_360(page)
    finally:
        context.close()
