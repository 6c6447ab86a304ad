"""The shell in a browser: switching language and back keeps the citizen on the same page, and
the site works with JavaScript off (links and GET forms only)."""

import pytest

from ..factories import AgencyFactory, ProcedureFactory, lam_dong_province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def procedure(site_tree, database_search):
    agency = AgencyFactory(province=lam_dong_province(), code="SXD", title="Sở Xây dựng")
    return ProcedureFactory(
        agency=agency,
        code="1.000894",
        title="Cấp giấy phép xây dựng",
        title_en="Construction permit",
    )


def switch_to(page, language: str) -> None:
    page.locator(".langs").get_by_role("link", name=language).click()


def test_switch_to_english_and_back_on_a_procedure_page(live_server, page, procedure):
    url = live_server.url + procedure.url
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "vi"
    switch_to(page, "English")
    assert page.url == live_server.url + "/en" + procedure.url
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="English").get_attribute("aria-current") == "true"
    switch_to(page, "Tiếng Việt")
    assert page.url == url
    assert page.get_by_role("heading", level=1).inner_text() == "Cấp giấy phép xây dựng"


def test_switch_language_on_the_search_page_keeps_the_query(live_server, page, procedure):
    page.goto(live_server.url + "/tim-kiem/?q=giay+phep+xay+dung")
    assert page.get_by_role("link", name="Cấp giấy phép xây dựng").is_visible()
    switch_to(page, "English")
    assert page.url == live_server.url + "/en/tim-kiem/?q=giay+phep+xay+dung"
    assert page.locator("html").get_attribute("lang") == "en"
    switch_to(page, "Tiếng Việt")
    assert page.url == live_server.url + "/tim-kiem/?q=giay+phep+xay+dung"


def test_without_javascript_home_to_procedure_and_search(live_server, browser, procedure):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="vi-VN"
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="Lâm Đồng").first.click()
        page.get_by_role("link", name="Sở Xây dựng").first.click()
        page.get_by_role("link", name="Cấp giấy phép xây dựng").first.click()
        assert page.get_by_role("heading", level=1).inner_text() == "Cấp giấy phép xây dựng"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        page.get_by_label("Tìm thủ tục").first.fill("giay phep xay dung")
        page.get_by_label("Tìm thủ tục").first.press("Enter")
        page.wait_for_url("**/tim-kiem/?q=giay+phep+xay+dung")
        page.get_by_role("link", name="Cấp giấy phép xây dựng").first.click()
        assert page.url == live_server.url + procedure.url
    finally:
        context.close()


def test_the_skip_link_and_focus_are_visible(live_server, page, procedure):
    page.goto(live_server.url + procedure.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    assert skip.evaluate("e => e === document.activeElement")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0  # on screen once focused
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"
