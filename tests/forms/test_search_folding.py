"""The forms library search folds as every other path does (cms.text): "dang ki", "dang ky",
"đăng ký" and "ĐĂNG KÝ" find the same forms, in /api/v1/forms/ and on /bieu-mau/."""

import unicodedata

import pytest
from django.urls import reverse

from tests.factories import FormDocumentFactory

pytestmark = pytest.mark.django_db

CODES = {
    "BMA1": "Tờ khai đăng ký khai sinh",
    "BMA2": "Tờ khai đăng kí kết hôn",
    "BMA3": "TỜ KHAI ĐĂNG KÝ THƯỜNG TRÚ",
    "BMA4": "Tờ khai lý lịch tư pháp",
    "BMA5": "Đơn đề nghị công nhận hoà giải viên",
    "BMA6": "Đơn đề nghị cấp giấy phép xây dựng",
}
SPELLINGS = [
    (
        [
            "dang ki",
            "dang ky",
            "đăng ký",
            "ĐĂNG KÝ",
            "Đăng kí",
            unicodedata.normalize("NFD", "đăng ký"),
        ],
        {"BMA1", "BMA2", "BMA3"},
    ),
    (["ly lich", "lí lịch", "LÝ LỊCH"], {"BMA4"}),
    (["hoa giai", "hòa giải", "hoà giải"], {"BMA5"}),
]


@pytest.fixture
def library(db):
    for code, title in CODES.items():
        FormDocumentFactory(code=code, title=title)


@pytest.mark.parametrize(("spellings", "expected"), SPELLINGS)
def test_the_api_finds_the_same_forms_for_every_spelling(client, library, spellings, expected):
    found = {}
    for q in spellings:
        body = client.get("/api/v1/forms/", {"q": q}).json()
        found[q] = {record["code"] for record in body["results"]}
    assert found == {q: expected for q in spellings}


@pytest.mark.parametrize(("spellings", "expected"), SPELLINGS)
def test_the_forms_page_finds_the_same_forms_for_every_spelling(
    client, library, spellings, expected
):
    found = {}
    for q in spellings:
        html = client.get(reverse("forms"), {"q": q}).content.decode()
        found[q] = {code for code in CODES if code in html}
    assert found == {q: expected for q in spellings}
