"""The application status lookup: a GET form that sends the citizen to the province's own lookup
with the receipt code, or says there is none and gives the hotline."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site

from cms.models import PortalSettings, validate_lookup_url

from .test_pages import get_html

pytestmark = pytest.mark.django_db
LOOKUP = "https://dichvucong.lamdong.gov.vn/tra-cuu?ma={code}"


@pytest.fixture
def portal(db) -> PortalSettings:
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.status_lookup_url = LOOKUP
    settings.hotline = "0263 3 822 120"
    settings.save()
    return settings


@pytest.mark.parametrize(
    "code, target",
    [
        ("H36.22-250101-0001", "https://dichvucong.lamdong.gov.vn/tra-cuu?ma=H36.22-250101-0001"),
        ("000/ABC", "https://dichvucong.lamdong.gov.vn/tra-cuu?ma=000%2FABC"),
        ("  abc-1  ", "https://dichvucong.lamdong.gov.vn/tra-cuu?ma=abc-1"),
    ],
)
def test_a_well_formed_code_redirects_to_the_lookup_url_encoded(client, portal, code, target):
    response = client.get("/tra-cuu-ho-so/", {"code": code})
    assert response.status_code == 302
    assert response["Location"] == target
    assert "no-store" in response["Cache-Control"]  # no cache keeps the citizen's code


def test_the_form_shows_a_visible_label_and_hint(client, portal):
    html = get_html(client, "/tra-cuu-ho-so/")
    assert '<label for="id_code">Mã hồ sơ</label>' in html
    assert 'aria-describedby="code-hint"' in html
    assert 'method="get"' in html


@pytest.mark.parametrize(
    "code, message",
    [
        ("", "Hãy nhập mã hồ sơ."),
        ("abc def", "Mã hồ sơ chỉ gồm chữ cái không dấu"),
        ("hồ-sơ", "Mã hồ sơ chỉ gồm chữ cái không dấu"),
        ("a?b=1&c", "Mã hồ sơ chỉ gồm chữ cái không dấu"),
    ],
)
def test_an_empty_or_malformed_code_is_refused_with_a_message(client, portal, code, message):
    response = client.get("/tra-cuu-ho-so/", {"code": code})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html


def test_in_english(client, portal):
    html = get_html(client, "/en/tra-cuu-ho-so/?code=")
    assert "Receipt code" in html and "Enter the receipt code." in html
    response = client.get("/en/tra-cuu-ho-so/", {"code": "ABC-1"})
    assert response["Location"] == "https://dichvucong.lamdong.gov.vn/tra-cuu?ma=ABC-1"


def test_without_a_lookup_url_the_page_says_so_and_gives_the_hotline(client, portal):
    portal.status_lookup_url = ""
    portal.save()
    response = client.get("/tra-cuu-ho-so/", {"code": "ABC-1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cổng này chưa có địa chỉ tra cứu hồ sơ trực tuyến." in html
    assert "0263 3 822 120" in html
    english = get_html(client, "/en/tra-cuu-ho-so/")
    assert "no online application status lookup" in english and "0263 3 822 120" in english


@pytest.mark.parametrize(
    "value",
    [
        "http://dichvucong.lamdong.gov.vn/tra-cuu?ma={code}",
        "https://dichvucong.lamdong.gov.vn/tra-cuu",
        "https://x.gov.vn/{code}/{code}",
        "javascript:alert(1)//{code}",
    ],
)
def test_the_lookup_setting_takes_https_with_one_code_placeholder(value):
    with pytest.raises(ValidationError):
        validate_lookup_url(value)


def test_a_valid_lookup_setting_passes():
    validate_lookup_url(LOOKUP)
