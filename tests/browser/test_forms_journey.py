"""A citizen on a small phone downloads a procedure's forms: one file under its Vietnamese name,
then all of them as one ZIP; then finds the form in the library without typing accents."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile

from ..factories import AgencyFactory, FormDocumentFactory, ProcedureFactory, citing, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def tree(site_tree):
    """The page tree and root collection, back after an earlier test flushed them."""


def test_download_a_form_and_the_bundle(live_server, page):
    declaration = FormDocumentFactory(
        code="CT01",
        title="Tờ khai thay đổi thông tin cư trú",
        file=ContentFile(pdf_bytes(("CT01",)), name="Tờ khai thay đổi thông tin cư trú.pdf"),
        effective_date="2024-07-01",
    )
    proof = FormDocumentFactory(code="CT02", title="Giấy xác nhận chỗ ở")
    procedure = ProcedureFactory(
        agency=AgencyFactory(code="CA", title="Công an tỉnh"),
        title="Đăng ký thường trú",
        documents=citing(declaration, proof),
    )

    page.goto(live_server.url + procedure.url)
    assert page.get_by_text("hiệu lực từ 01/07/2024").is_visible()
    with page.expect_download() as first:
        page.get_by_role("link", name="CT01").click()
    assert first.value.suggested_filename == "Tờ khai thay đổi thông tin cư trú.pdf"

    with page.expect_download() as bundle:
        page.get_by_role("link", name="Tải cả 2 biểu mẫu (ZIP)").click()
    assert bundle.value.suggested_filename == f"Biểu mẫu {procedure.code}.zip"
    with open(bundle.value.path(), "rb") as saved:
        names = zipfile.ZipFile(io.BytesIO(saved.read())).namelist()
    assert "Tờ khai thay đổi thông tin cư trú.pdf" in names and "DANH-MUC.txt" in names
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_find_a_form_in_the_library_without_accents(live_server, page):
    FormDocumentFactory(code="CT01", title="Tờ khai thay đổi thông tin cư trú")
    FormDocumentFactory(code="GPXD-01", title="Đơn đề nghị cấp giấy phép xây dựng")

    page.goto(live_server.url + "/bieu-mau/")
    page.get_by_label("Mã hoặc tên biểu mẫu").fill("to khai cu tru")
    page.get_by_role("button", name="Lọc").click()

    page.get_by_role("link", name="CT01 Tờ khai thay đổi thông tin cư trú").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("CT01")
    assert page.get_by_role("img", name="Trang đầu của Tờ khai thay đổi thông tin cư trú")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
