"""A citizen prepares a dossier on a small phone: ticks documents, prints the guide with its QR
code, and opens the page again without a connection."""

import pytest
from django.utils import translation

from forms_library.inspection.pdf import inspect_pdf

from ..catalog.test_procedure_page import PORTAL, full_values
from ..factories import AgencyFactory, FormDocumentFactory, ProcedureFactory, lam_dong_province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAVED = "caches.open('procedure-pages-v1').then(c => c.match(location.href)).then(Boolean)"


@pytest.fixture
def procedure(site_tree):
    agency = AgencyFactory(province=lam_dong_province(), code="SXD", title="Sở Xây dựng")
    forms = [FormDocumentFactory() for _ in range(12)]
    return ProcedureFactory(agency=agency, **full_values(forms))


def test_ticks_are_kept_across_a_reload_and_cleared_on_request(live_server, procedure, page):
    page.goto(live_server.url + procedure.url)
    boxes = page.locator("form.checklist input[type=checkbox]")
    page.get_by_label("Bản vẽ thiết kế").first.check()
    boxes.nth(0).check()
    page.reload()
    assert boxes.nth(0).is_checked() and page.get_by_label("Bản vẽ thiết kế").first.is_checked()
    assert not boxes.nth(1).is_checked()
    assert page.get_by_role("button", name="In danh sách").is_visible()  # shown by the script

    page.get_by_role("button", name="Bỏ đánh dấu").click()
    page.reload()
    assert boxes.evaluate_all("boxes => boxes.filter(box => box.checked).length") == 0


def test_print_view_is_a_guide_with_the_qr_code(live_server, procedure, page):
    page.goto(live_server.url + procedure.url)
    qr = page.get_by_role("img", name="Mã QR mở trang này")
    assert not qr.is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("button", name="Bỏ đánh dấu").is_visible()
    assert not page.get_by_role(
        "link", name="Tải cả 12 biểu mẫu (ZIP)"
    ).is_visible()  # of no use on paper
    assert qr.is_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    external = page.locator('a[href^="https://vanban.chinhphu.vn/1"]')
    shown = external.evaluate("a => getComputedStyle(a, '::after').content")
    assert "https://vanban.chinhphu.vn/1" in shown
    start = page.locator("a.button-start")  # on paper: the address to type, not a button
    assert start.is_visible()
    assert PORTAL in start.evaluate("a => getComputedStyle(a, '::after').content")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_printed_guide_of_a_full_procedure_is_one_a4_sheet(
    live_server, procedure, page, language
):
    with translation.override(language):
        url = procedure.url
    page.goto(live_server.url + url)
    printed = page.pdf(format="A4")  # Chromium's print of the page, with its print stylesheet
    assert inspect_pdf(printed, "pdf")[0] == 1


def test_an_opened_page_opens_again_offline(live_server, procedure, page):
    url = live_server.url + procedure.url
    page.goto(url)
    for _ in range(50):  # the worker installs, then fetches and keeps the page
        if page.evaluate(SAVED):
            break
        page.wait_for_timeout(200)
    assert page.evaluate(SAVED), "the page was not kept"
    page.context.set_offline(True)
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Cấp giấy phép")
    note = page.locator("#offline-note")
    assert note.is_visible() and "Bản lưu ngoại tuyến, lưu lúc" in note.inner_text()
    assert note.locator("time").get_attribute("datetime")


def test_nothing_overflows_a_360px_screen(live_server, procedure, page):
    page.goto(live_server.url + procedure.url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    region = page.get_by_role("region", name="Thời hạn và phí theo cách nộp")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls inside
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")


def test_without_javascript_the_checklist_still_ticks_and_clears(live_server, procedure, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + procedure.url)
        box = page.locator("form.checklist input[type=checkbox]").first
        box.check()
        assert box.is_checked()
        assert not page.get_by_role("button", name="In danh sách").is_visible()
        page.get_by_role("button", name="Bỏ đánh dấu").click()
        assert not box.is_checked()
    finally:
        context.close()
