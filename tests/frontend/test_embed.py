"""/embed/catalog/: one agency's procedures for a portal's iframe, filtered, searched and paged
without JavaScript, framed only by the portal settings' origins, with no cookie; and the
/embed/widget.js script, small enough to add to any page."""

import gzip
import re
import unicodedata
from html import unescape
from pathlib import Path

import pytest
from wagtail.models import Site

from catalog.listing import PER_PAGE
from cms.models import PortalSettings

from ..factories import AgencyFactory, ProcedureFactory, lam_dong_province

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search")]

WIDGET = Path(__file__).resolve().parents[2] / "frontend" / "static" / "js" / "widget.js"


@pytest.fixture
def sxd(db):
    return AgencyFactory(province=lam_dong_province(), code="SXD", title="Sở Xây dựng")


@pytest.fixture
def procedures(sxd, building):
    other = AgencyFactory(province=sxd.province, code="STP", title="Sở Tư pháp")
    return {
        "permit": ProcedureFactory(
            agency=sxd,
            code="1.000894",
            title="Cấp giấy phép xây dựng",
            title_en="Construction permit",
            field=building,
            level=3,
            submission_url="https://dichvucong.lamdong.gov.vn/gpxd",
        ),
        "repair": ProcedureFactory(
            agency=sxd, code="1.000895", title="Cấp giấy phép sửa chữa nhà ở", level=2
        ),
        "birth": ProcedureFactory(agency=other, code="2.000488", title="Đăng ký khai sinh"),
    }


LINK_TEXT = re.compile(r'<a href="[^"]*" target="_blank"[^>]*>([^<]*)</a>')


def titles(response) -> list[str]:
    """The procedures listed, in order."""
    return [unescape(title) for title in LINK_TEXT.findall(response.content.decode())]


def portal_origins(text: str) -> None:
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.embed_allowed_origins = text
    portal.save()


def test_lists_the_agency_procedures_only(client, procedures):
    response = client.get("/embed/catalog/?agency=sxd")
    assert response.status_code == 200
    assert titles(response) == ["Cấp giấy phép sửa chữa nhà ở", "Cấp giấy phép xây dựng"]
    assert "2 thủ tục" in response.content.decode()


def test_filters_by_field_tier_and_level(client, procedures):
    assert titles(client.get("/embed/catalog/?agency=SXD&level=3")) == ["Cấp giấy phép xây dựng"]
    assert titles(client.get("/embed/catalog/?agency=SXD&field=xay-dung")) == [
        "Cấp giấy phép xây dựng"
    ]
    assert titles(client.get("/embed/catalog/?agency=SXD&tier=commune")) == []
    assert len(titles(client.get("/embed/catalog/?agency=SXD&tier=province"))) == 2


def test_an_invalid_filter_is_left_out_and_said_so(client, procedures):
    html = client.get("/embed/catalog/?agency=SXD&level=9").content.decode()
    assert "Một số giá trị lọc không hợp lệ nên đã được bỏ qua." in html
    assert len(titles(client.get("/embed/catalog/?agency=SXD&level=9"))) == 2


def test_searches_within_the_agency(client, procedures):
    response = client.get("/embed/catalog/", {"agency": "SXD", "q": "giay phep xay dung"})
    assert titles(response)[0] == "Cấp giấy phép xây dựng"
    assert "Đăng ký khai sinh" not in titles(response)
    assert titles(client.get("/embed/catalog/", {"agency": "SXD", "q": "khai sinh"})) == []
    searched = client.get("/embed/catalog/", {"agency": "SXD", "q": "sua chua", "level": "3"})
    assert titles(searched) == []


def test_a_decomposed_query_is_searched_and_shown_composed(client, procedures):
    q = unicodedata.normalize("NFD", "giấy phép xây dựng")
    response = client.get("/embed/catalog/", {"agency": "SXD", "q": q})
    assert titles(response)[0] == "Cấp giấy phép xây dựng"
    assert 'value="giấy phép xây dựng"' in response.content.decode()


def test_the_search_form_keeps_the_embed_parameters(client, procedures):
    html = client.get("/embed/catalog/?agency=SXD&level=3&lang=en&q=permit").content.decode()
    assert '<form role="search" method="get">' in html
    for name, value in (("agency", "SXD"), ("level", "3"), ("lang", "en")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in html
    assert 'value="permit"' in html


def test_links_open_the_full_page_on_the_main_site_in_a_new_tab(client, procedures):
    html = client.get("/embed/catalog/?agency=SXD&level=3").content.decode()
    url = "http://testserver" + procedures["permit"].url
    assert f'<a href="{url}" target="_blank" rel="noopener">Cấp giấy phép xây dựng</a>' in html


def test_pages_without_javascript(client, sxd):
    for n in range(PER_PAGE + 3):
        ProcedureFactory(agency=sxd, title=f"Thủ tục {n:02d}")
    first = client.get("/embed/catalog/?agency=SXD&tier=province")
    html = first.content.decode()
    assert len(titles(first)) == PER_PAGE
    assert '<a rel="next" href="?agency=SXD&amp;tier=province&amp;page=2">' in html
    second = client.get("/embed/catalog/?agency=SXD&tier=province&page=2")
    assert titles(second) == ["Thủ tục 20", "Thủ tục 21", "Thủ tục 22"]
    assert "trang 2 / 2" in second.content.decode()


def test_search_results_page_too(client, sxd):
    for n in range(PER_PAGE + 2):
        ProcedureFactory(agency=sxd, title=f"Cấp phép số {n:02d}")
    html = client.get("/embed/catalog/?agency=SXD&q=cap+phep").content.decode()
    assert '<a rel="next" href="?agency=SXD&amp;q=cap+phep&amp;page=2">' in html
    second = client.get("/embed/catalog/?agency=SXD&q=cap+phep&page=2")
    assert len(titles(second)) == 2


def test_framing_is_allowed_only_for_the_portal_settings_origins(client, procedures):
    portal_origins(
        "https://sotttt.lamdong.gov.vn\n"
        "  https://LAMDONG.gov.vn:8443/  \n"
        "http://insecure.example.vn\n"
        "https://*.example.vn\n"
        "https://evil.example.vn; script-src *\n"
        "https://a.example.vn/path\n"
        "https://b.example.vn:99999\n"
        "https://sotttt.lamdong.gov.vn\n"
    )
    response = client.get("/embed/catalog/?agency=SXD")
    assert response["Content-Security-Policy"] == (
        "frame-ancestors 'self' https://sotttt.lamdong.gov.vn https://lamdong.gov.vn:8443"
    )
    assert "X-Frame-Options" not in response


def test_without_origins_only_the_site_itself_may_frame(client, procedures):
    response = client.get("/embed/catalog/?agency=SXD")
    assert response["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert "X-Frame-Options" not in response


def test_the_admin_refuses_a_line_that_is_not_an_origin(db):
    from django.core.exceptions import ValidationError

    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.embed_allowed_origins = "https://ok.gov.vn\nhttp://not-https.gov.vn"
    with pytest.raises(ValidationError) as refused:
        portal.full_clean()
    assert "http://not-https.gov.vn" in str(refused.value)


def test_the_rest_of_the_site_still_refuses_framing(client, procedures):
    assert client.get(procedures["permit"].url)["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("query", ["", "&q=giay+phep", "&lang=en"])
def test_sets_no_cookie_and_says_how_long_to_keep_it(client, procedures, query):
    response = client.get("/embed/catalog/?agency=SXD" + query)
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]


def test_an_unknown_agency_is_a_vietnamese_404_that_may_be_framed(client, procedures):
    response = client.get("/embed/catalog/?agency=KHONG-CO")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="vi">' in html
    assert "Không tìm thấy cơ quan" in html
    assert response["Content-Security-Policy"].startswith("frame-ancestors 'self'")
    assert "X-Frame-Options" not in response
    assert client.get("/embed/catalog/").status_code == 404


def test_english_with_lang_en(client, procedures):
    response = client.get("/embed/catalog/?agency=SXD&lang=en")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert response["Content-Language"] == "en"
    assert "2 procedures" in html
    assert '<label for="embed-q">Find a procedure</label>' in html
    assert "Construction permit" in titles(response)
    # No English title: the Vietnamese one, marked as Vietnamese.
    assert 'lang="vi">Cấp giấy phép sửa chữa nhà ở</a>' in html
    assert 'href="http://testserver/en/' in html
    not_found = client.get("/embed/catalog/?agency=NONE&lang=en").content.decode()
    assert "Agency not found" in not_found


def test_a_title_with_markup_is_shown_as_text(client, sxd):
    ProcedureFactory(agency=sxd, title="Cấp phép <script>alert(1)</script>")
    for query in ("", "&q=cap+phep"):
        html = client.get("/embed/catalog/?agency=SXD" + query).content.decode()
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_widget_script_is_javascript_kept_an_hour(client):
    response = client.get("/embed/widget.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response.content == WIDGET.read_bytes()


def test_the_widget_is_under_ten_kilobytes_gzipped():
    assert len(gzip.compress(WIDGET.read_bytes(), compresslevel=9)) < 10240


def test_the_widget_never_parses_feed_text_as_html():
    source = WIDGET.read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", source)


def test_the_api_the_widget_reads_may_be_read_from_any_origin(client, procedures):
    response = client.get(
        "/api/v1/procedures/?agency=SXD&page_size=20", HTTP_ORIGIN="https://portal.example.vn"
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["count"] == 2
