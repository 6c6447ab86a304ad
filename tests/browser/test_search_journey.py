"""A citizen types "giay phep xay dung" without diacritics in the header's search box, opens the
permit and downloads its form; the same with JavaScript off; the autocomplete's hints come at
most once per 250 ms."""

import time

import pytest
from django.core.files.base import ContentFile

from ..factories import (
    AgencyFactory,
    FormDocumentFactory,
    ProcedureFactory,
    building_field,
    citing,
    lam_dong_province,
    pdf_bytes,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("database_search"),
]

FORM_NAME = "Đơn đề nghị cấp giấy phép xây dựng.pdf"


@pytest.fixture
def permit(site_tree):
    """The permit with its form, and a procedure whose body also says "nội dung" (a lone "dung")."""
    agency = AgencyFactory(province=lam_dong_province(), code="SXD", title="Sở Xây dựng")
    form = FormDocumentFactory(
        code="GPXD-01",
        title="Đơn đề nghị cấp giấy phép xây dựng",
        file=ContentFile(pdf_bytes(("Don de nghi",)), name=FORM_NAME),
    )
    ProcedureFactory(
        agency=agency,
        code="1.000896",
        title="Thẩm định thiết kế xây dựng",
        requirements="Nội dung: bản sao giấy phép xây dựng đã cấp",
    )
    return ProcedureFactory(
        agency=agency,
        code="1.000894",
        title="Cấp giấy phép xây dựng",
        field=building_field(),
        level=3,
        submission_url="https://dichvucong.lamdong.gov.vn/gpxd",
        documents=citing(form),
    )


def search_open_and_download(page, base_url: str) -> None:
    page.goto(base_url + "/")
    # A search box, or a combobox once the autocomplete gives it a list.
    header = page.get_by_role("search").first
    header.get_by_label("Tìm thủ tục", exact=True).fill("giay phep xay dung")
    header.get_by_role("button").click()
    page.wait_for_url("**/tim-kiem/?q=*")
    assert page.get_by_role("status").first.inner_text().startswith("2 thủ tục")
    results = page.locator("ol.results")
    # The phrase is marked, not the "dung" of "nội dung"
    first = results.locator("li").first.get_by_role("link")
    assert first.locator("mark").all_inner_texts() == ["giấy", "phép", "xây", "dựng"]
    assert "dung" not in [m.lower() for m in results.locator("mark").all_inner_texts()]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("link", name="Cấp giấy phép xây dựng").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cấp giấy phép xây dựng"
    with page.expect_download() as download:
        page.get_by_role("link", name="GPXD-01").click()
    assert download.value.suggested_filename == FORM_NAME
    with open(download.value.path(), "rb") as saved:
        assert saved.read(5) == b"%PDF-"


def test_search_open_and_download(live_server, page, permit):
    search_open_and_download(page, live_server.url)


def test_the_same_without_javascript(live_server, browser, permit):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False
    )
    try:
        search_open_and_download(context.new_page(), live_server.url)
    finally:
        context.close()


def test_autocomplete_hints_at_most_once_per_250_ms(live_server, page, permit):
    sent: list[float] = []
    page.on(
        "request",
        lambda request: "/api/v1/suggest/" in request.url and sent.append(time.monotonic()),
    )
    page.goto(live_server.url + "/tim-kiem/")
    page.get_by_label("Tên thủ tục, mã").press_sequentially("cap giay phep xay dung", delay=40)
    page.wait_for_timeout(600)

    assert len(sent) >= 2  # hints while typing, not only at the end
    gaps = [b - a for a, b in zip(sent, sent[1:], strict=False)]
    assert min(gaps) >= 0.24, gaps  # timer granularity aside, 250 ms apart
    options = page.locator("datalist#q-suggestions option")
    assert "Cấp giấy phép xây dựng" in [o.get_attribute("value") for o in options.all()]
