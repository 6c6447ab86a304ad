"""Editors in the Wagtail admin: adding a procedure under an agency, with the rules explained."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from catalog.models import ProcedurePage

from ..factories import ProcedureFactory


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.invalid", "pw")
    client.force_login(user)
    return client


def add_form(client, agency) -> tuple[str, dict]:
    url = reverse("wagtailadmin_pages:add", args=("catalog", "procedurepage", agency.pk))
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    # Stream fields are drawn by JavaScript; an empty one posts a count of zero.
    for name in ("steps", "channels", "documents"):
        for lang in ("vi", "en"):
            data[f"{name}_{lang}-count"] = "0"
    data["legal_basis-count"] = "0"
    return url, data


def fill(data, **values):
    data = data.copy()
    for name, value in values.items():
        data[name] = value
    return data


@pytest.mark.django_db
def test_editor_adds_a_level_3_procedure(editor_client, agency):
    url, data = add_form(editor_client, agency)
    data = fill(
        data,
        title_vi="Cấp giấy phép xây dựng",
        slug="cap-giay-phep-xay-dung",
        code="1.000894",
        tier_province="on",
        level="3",
        submission_url="https://dichvucong.lamdong.gov.vn/gpxd",
        status="active",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ProcedurePage.objects.get(code="1.000894")
    assert page.agency == agency
    assert page.province == agency.province


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_value", "message"),
    [
        ("", "Mức độ 3 trở lên phải có địa chỉ nộp trực tuyến"),
        ("http://dichvucong.lamdong.gov.vn/gpxd", "phải bắt đầu bằng https://"),
        ("https://evil.example.com/gpxd", "evil.example.com không thuộc các tên miền được phép"),
    ],
)
def test_submission_url_rules_are_explained_in_vietnamese(
    editor_client, agency, url_value, message
):
    url, data = add_form(editor_client, agency)
    data = fill(
        data,
        title_vi="Cấp giấy phép xây dựng",
        slug="cap-giay-phep-xay-dung",
        code="1.000894",
        tier_province="on",
        level="3",
        submission_url=url_value,
        status="active",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProcedurePage.objects.filter(code="1.000894").exists()


@pytest.mark.django_db
def test_duplicate_code_in_the_province_is_refused(editor_client, agency):
    ProcedureFactory(agency=agency, code="1.000894")
    url, data = add_form(editor_client, agency)
    data = fill(
        data,
        title_vi="Thủ tục trùng mã",
        slug="thu-tuc-trung-ma",
        code="1.000894",
        tier_province="on",
        level="1",
        status="active",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "đã được dùng cho thủ tục khác trong tỉnh này" in response.content.decode()
    assert ProcedurePage.objects.filter(code="1.000894").count() == 1


@pytest.mark.django_db
def test_procedure_listing_filters_by_level_and_tier(editor_client, agency):
    ProcedureFactory(
        agency=agency,
        title="Thủ tục mức ba",
        level=3,
        submission_url="https://dichvucong.lamdong.gov.vn/a",
    )
    ProcedureFactory(
        agency=agency, title="Thủ tục cấp xã", level=1, tier_province=False, tier_commune=True
    )
    listing = reverse("procedures:index")
    level3 = editor_client.get(listing, {"level": "3"}).content.decode()
    assert "Thủ tục mức ba" in level3 and "Thủ tục cấp xã" not in level3
    commune = editor_client.get(listing, {"tier": "commune"}).content.decode()
    assert "Thủ tục cấp xã" in commune and "Thủ tục mức ba" not in commune
    by_agency = editor_client.get(listing, {"agency": agency.pk}).content.decode()
    assert "Thủ tục mức ba" in by_agency and "Thủ tục cấp xã" in by_agency
