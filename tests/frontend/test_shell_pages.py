"""The shell on every page: language links to the same page in the other language, the footer,
the head's canonical, alternate, description and Open Graph tags; the help and site map pages;
404 and 500 in both languages."""

import re
from html import unescape

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.template.loader import get_template
from django.test import Client
from django.urls import path
from django.utils import translation
from wagtail.models import Site

from catalog.levels import LEVEL_2022_LABELS, LEVEL_DESCRIPTIONS
from cms import urls as site_urls
from cms.models import PortalSettings

from ..factories import AgencyFactory, LifeEventFactory, ProcedureFactory, lam_dong_province

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("the database is down")


# The site's URLs plus one view that fails, for the 500 page (ROOT_URLCONF = this module).
urlpatterns = [
    *i18n_patterns(path("hong/", boom), prefix_default_language=False),
    *site_urls.urlpatterns,
]


@pytest.fixture
def agency(db):
    return AgencyFactory(province=lam_dong_province(), code="SXD", title="Sở Xây dựng")


@pytest.fixture
def procedure(agency):
    return ProcedureFactory(agency=agency, code="1.000894", title="Cấp giấy phép xây dựng")


def language_links(html: str) -> dict[str, str]:
    """{lang: href} of the header's language links."""
    nav = re.search(r'<nav aria-label="[^"]+" class="langs">(.*?)</nav>', html, re.S).group(1)
    return dict(
        (lang, unescape(href))
        for href, lang in re.findall(r'<a href="([^"]*)" lang="(\w+)" hreflang="\w+"', nav)
    )


def head_link(html: str, rel: str, hreflang: str | None = None) -> str:
    attrs = f'rel="{rel}"' + (f' hreflang="{hreflang}"' if hreflang else "")
    return re.search(rf'<link {attrs} href="([^"]*)">', html).group(1)


def meta(html: str, key: str) -> str:
    return re.search(rf'<meta (?:property|name)="{key}" content="([^"]*)">', html).group(1)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_language_links_lead_to_the_same_page(client, procedure, prefix):
    for path_ in (procedure.url, "/tim-kiem/?q=giay+phep&level=3", "/bieu-mau/", "/so-do-trang/"):
        html = client.get(prefix + path_).content.decode()
        assert language_links(html) == {"vi": path_, "en": "/en" + path_}, path_


def test_language_links_are_named_in_their_own_tongue(client, procedure):
    url = procedure.url
    html = client.get("/en" + url).content.decode()
    assert f'<a href="{url}" lang="vi" hreflang="vi">Tiếng Việt</a>' in html
    english = f'<a href="/en{url}" lang="en" hreflang="en" aria-current="true">English</a>'
    assert english in html
    assert '<form action="/i18n/' not in html


def test_a_404_links_to_itself_in_the_other_language(client, db):
    response = client.get("/en/khong-co/?x=1")
    assert response.status_code == 404
    assert language_links(response.content.decode()) == {
        "vi": "/khong-co/?x=1",
        "en": "/en/khong-co/?x=1",
    }


@pytest.mark.parametrize(
    "url, heading, home",
    [
        ("/khong-co/", "Không tìm thấy trang", 'href="/"'),
        ("/en/khong-co/", "Page not found", 'href="/en/"'),
    ],
)
def test_the_404_page_in_each_language(client, db, url, heading, home):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in html
    assert re.search(r'<form role="search" action="(/en)?/tim-kiem/"', html)
    assert home in html


def test_the_500_template_renders_without_context_processors_or_database(django_assert_num_queries):
    template = get_template("500.html")
    with django_assert_num_queries(0), translation.override("en"):
        html = template.render()
    assert 'lang="en"' in html and "Sorry, something went wrong on our side" in html
    assert 'action="/en/tim-kiem/"' in html and 'href="/en/"' in html
    with translation.override("vi"):
        html = template.render()
    assert "Xin lỗi, hệ thống đang gặp lỗi" in html and 'action="/tim-kiem/"' in html


@pytest.mark.parametrize(
    "url, text", [("/hong/", "Xin lỗi, hệ thống đang gặp lỗi"), ("/en/hong/", "Sorry, something")]
)
def test_a_failing_view_shows_the_500_page(settings, db, url, text):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 500
    assert text in response.content.decode()


def test_head_names_the_canonical_and_alternate_addresses(client, procedure):
    html = client.get(procedure.url + "?utm_source=zalo&fbclid=x").content.decode()
    canonical = "http://testserver" + procedure.url
    assert head_link(html, "canonical") == canonical
    assert head_link(html, "alternate", "vi") == canonical
    assert head_link(html, "alternate", "en") == "http://testserver/en" + procedure.url
    assert head_link(html, "alternate", "x-default") == canonical
    assert meta(html, "og:url") == canonical


def test_canonical_keeps_the_query_that_makes_the_page(client, db):
    html = client.get("/bieu-mau/?page=2&utm_medium=sms").content.decode()
    assert head_link(html, "canonical") == "http://testserver/bieu-mau/?page=2"


def test_open_graph_and_description(client, procedure):
    procedure.search_description = "Hồ sơ, lệ phí và nơi nộp giấy phép xây dựng."
    procedure.save_revision().publish()
    html = client.get("/en" + procedure.url).content.decode()
    assert meta(html, "description") == "Hồ sơ, lệ phí và nơi nộp giấy phép xây dựng."
    assert meta(html, "og:description") == "Hồ sơ, lệ phí và nơi nộp giấy phép xây dựng."
    assert meta(html, "og:title") == "Cấp giấy phép xây dựng"
    assert meta(html, "og:type") == "website"
    assert meta(html, "og:locale") == "en_US"
    assert meta(html, "og:locale:alternate") == "vi_VN"
    assert meta(html, "og:site_name") == "Administrative procedures"


def test_description_falls_back_to_the_title(client, procedure):
    assert meta(client.get(procedure.url).content.decode(), "description") == procedure.title


def test_footer_shows_the_portal_and_the_help_pages(client, db):
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.portal_name = "Cổng thủ tục hành chính tỉnh Lâm Đồng"
    portal.contact = "36 Trần Phú, Đà Lạt\n0263 3822 000"
    portal.save()
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "Cổng thủ tục hành chính tỉnh Lâm Đồng" in footer
    assert "36 Trần Phú, Đà Lạt<br>0263 3822 000" in footer
    for url in ("/huong-dan/muc-do-truc-tuyen/", "/huong-dan/cach-tim-kiem/", "/so-do-trang/"):
        assert f'href="{url}"' in footer
    assert meta(html, "og:site_name") == "Cổng thủ tục hành chính tỉnh Lâm Đồng"


def test_the_levels_help_page_explains_both_decrees(client, db):
    html = client.get("/huong-dan/muc-do-truc-tuyen/").content.decode()
    assert "<h1>Các mức độ dịch vụ công trực tuyến</h1>" in html
    for level in range(1, 5):
        assert str(LEVEL_DESCRIPTIONS[level]) in html
        assert str(LEVEL_2022_LABELS[level]) in html
    english = client.get("/en/huong-dan/muc-do-truc-tuyen/").content.decode()
    with translation.override("en"):
        assert str(LEVEL_DESCRIPTIONS[4]) in english
        assert "Decree 42/2022" in english


def test_the_search_help_page(client, db):
    html = client.get("/huong-dan/cach-tim-kiem/").content.decode()
    assert "giay phep xay dung" in html and "mã thủ tục" in html
    assert '<form role="search" action="/tim-kiem/"' in html
    english = client.get("/en/huong-dan/cach-tim-kiem/").content.decode()
    assert "Type with or without diacritics" in english
    # The Vietnamese examples on the English page say their language (WCAG 3.1.2).
    assert '<span lang="vi">“giay phep xay dung”</span>' in english
    assert '<span lang="vi">“sổ đỏ”</span>' in english


def test_the_site_map_lists_provinces_agencies_and_the_rest(client, agency):
    LifeEventFactory(code="co-con-nho", name="Có con nhỏ")
    html = client.get("/so-do-trang/").content.decode()
    province = agency.get_parent()
    assert f'<a href="{province.url}">Lâm Đồng</a>' in html
    assert f'<a href="{agency.url}">Sở Xây dựng</a>' in html
    assert html.index("Lâm Đồng</a>") < html.index("Sở Xây dựng</a>")
    assert "Có con nhỏ" in html
    for url in ("/tim-kiem/", "/bieu-mau/", "/huong-dan/muc-do-truc-tuyen/"):
        assert f'href="{url}"' in html


def test_sitemap_lists_every_page_with_its_alternates(client, procedure):
    xml = client.get("/sitemap.xml").content.decode()
    page = "http://testserver" + procedure.url
    english = "http://testserver/en" + procedure.url
    assert f"<loc>{page}</loc>" in xml and f"<loc>{english}</loc>" in xml
    for lang, href in (("vi", page), ("en", english), ("x-default", page)):
        assert f'<xhtml:link rel="alternate" hreflang="{lang}" href="{href}"/>' in xml
    for url in ("/tim-kiem/", "/bieu-mau/", "/huong-dan/muc-do-truc-tuyen/", "/so-do-trang/"):
        assert f"<loc>http://testserver{url}</loc>" in xml
        assert f"<loc>http://testserver/en{url}</loc>" in xml


def test_sitemap_leaves_out_drafts(client, agency):
    draft = ProcedureFactory(agency=agency, live=False, slug="ban-nhap")
    assert "ban-nhap" not in client.get("/sitemap.xml").content.decode()
    assert draft.pk


def test_robots_txt(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /api/v1/search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
