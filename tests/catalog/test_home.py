"""The home page and a province's home: search first, browsing blocks, level counts, contact,
and the most viewed procedures counted by catalog.view_counts."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Site

from catalog.models import ProcedurePage, ProcedureViewDay
from catalog.view_counts import PROCEDURE_HEADER, pending_views
from cms.models import PortalSettings

from ..factories import LifeEventFactory, ProcedureFactory, small_catalogue
from .test_pages import get_html, text_of

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"


def headings(page_html: str) -> list[str]:
    return [text_of(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page_html, re.S)]


def test_home_starts_with_the_search_form_and_lists_the_blocks(client):
    small_catalogue()
    html = get_html(client, "/")
    main = html.split('<main id="main"', 1)[1]
    assert main.index('class="home-search"') < main.index("<h2")
    assert '<label for="home-q">Tìm thủ tục hành chính</label>' in main
    assert '<form role="search" action="/tim-kiem/" method="get" class="home-search">' in main
    assert headings(html) == [
        "Chọn tỉnh",  # two live provinces: the chooser first
        "Theo sự kiện đời sống",
        "Theo lĩnh vực",
        "Theo cấp thực hiện",
        "Theo mức độ dịch vụ công trực tuyến",
    ]
    assert "Cao Bằng" in main and "Lâm Đồng" in main  # the province chooser
    assert 'href="/tra-cuu-ho-so/"' in main
    english = get_html(client, "/en/")
    assert 'href="/en/tra-cuu-ho-so/"' in english and "Track an application" in english
    assert '<label for="home-q">Find an administrative procedure</label>' in english


def test_home_lists_life_events_by_audience_with_links(client):
    event = LifeEventFactory(code="co-con-nho-x", name="Có con nhỏ X", audience="citizens")
    LifeEventFactory(code="khoi-su-x", name="Khởi sự X", audience="businesses")
    pages = small_catalogue()
    pages["birth"].life_events.add(event)
    pages["birth"].save()
    text = text_of(get_html(client, "/"))
    assert "Công dân" in text and "Doanh nghiệp" in text
    assert "Có con nhỏ X 1" in text and "Khởi sự X 0" in text
    assert 'href="/su-kien/co-con-nho-x/"' in get_html(client, "/")


def test_home_counts_by_level_with_both_vocabularies(client):
    small_catalogue()
    text = text_of(get_html(client, "/"))
    assert "Mức độ 3 · Dịch vụ công trực tuyến một phần 1" in text
    assert "Mức độ 2 · Thông tin trực tuyến 3" in text
    assert "Mức độ 4 · Dịch vụ công trực tuyến toàn trình 0" in text
    assert "4 thủ tục đang hiệu lực" in text  # the abolished one left out


def test_home_shows_the_portal_contact(client, db):
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.hotline = "0263 3 822 120"
    portal.one_stop_address = "36 Trần Phú, Đà Lạt"
    portal.opening_hours = "Thứ Hai đến Thứ Sáu"
    portal.save()
    html = get_html(client, "/")
    assert 'href="tel:02633822120"' in html and "36 Trần Phú, Đà Lạt" in html
    assert "Hotline" in get_html(client, "/en/")


def test_home_renders_for_an_empty_catalogue_in_both_languages(client, db):
    assert "Chưa có tỉnh nào." in get_html(client, "/")
    english = get_html(client, "/en/")
    assert "By life event" in english and "Most viewed" not in english


def test_home_renders_for_a_large_catalogue(client, agency):
    for n in range(60):
        ProcedureFactory(agency=agency, slug=f"p-{n}", title=f"Thủ tục {n:02d}")
    text = text_of(get_html(client, "/"))
    assert "60 thủ tục đang hiệu lực" in text
    assert "By tier" in get_html(client, "/en/")


def test_one_province_installation_shows_its_agencies_on_the_home(client, agency):
    ProcedureFactory(agency=agency)
    html = get_html(client, "/")
    assert "Theo cơ quan" in headings(html) and "Sở Thông tin và Truyền thông" in html


def test_province_page_is_the_province_home(client):
    pages = small_catalogue()
    html = get_html(client, pages["ld"].url)
    assert "Chọn tỉnh" not in headings(html)  # no chooser inside a province
    assert "Theo cơ quan" in headings(html) and "Sở Xây dựng" in html
    assert "Mức độ 3 · Dịch vụ công trực tuyến một phần 1" in text_of(html)
    assert 'href="/lam-dong/?tier=province#thu-tuc"' in html
    english = get_html(client, "/en" + pages["ld"].url)
    assert "By agency" in english


# --- most viewed -----------------------------------------------------------------------------


def test_a_procedure_view_is_counted_and_the_header_removed(client, agency):
    page = ProcedureFactory(agency=agency)
    response = client.get(page.url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    assert PROCEDURE_HEADER not in response
    client.get(page.url, HTTP_USER_AGENT=BROWSER)
    assert ProcedureViewDay.objects.get(procedure=page, day=timezone.localdate()).count == 2


def test_views_are_added_up_and_written_together(client, agency, settings):
    settings.VIEW_COUNTS_FLUSH_EVERY = 3
    first, second = ProcedureFactory(agency=agency), ProcedureFactory(agency=agency)
    client.get(first.url, HTTP_USER_AGENT=BROWSER)
    client.get(second.url, HTTP_USER_AGENT=BROWSER)
    assert not ProcedureViewDay.objects.exists()  # two views, not yet written

    client.get(first.url, HTTP_USER_AGENT=BROWSER)

    counts = dict(ProcedureViewDay.objects.values_list("procedure", "count"))
    assert counts == {first.pk: 2, second.pk: 1}
    client.get(first.url, HTTP_USER_AGENT=BROWSER)
    pending_views.write()  # as a worker does every 30 s and when it exits
    assert ProcedureViewDay.objects.get(procedure=first).count == 3


@pytest.mark.parametrize(
    "agent",
    ["", "Mozilla/5.0 (compatible; Googlebot/2.1)", "curl/8.5", "python-requests/2.32"],
)
def test_bots_are_not_counted(client, agency, agent):
    page = ProcedureFactory(agency=agency)
    client.get(page.url, HTTP_USER_AGENT=agent)
    assert not ProcedureViewDay.objects.exists()


def test_other_pages_and_failed_requests_are_not_counted(client, agency):
    ProcedureFactory(agency=agency)
    client.get(agency.url, HTTP_USER_AGENT=BROWSER)
    client.get("/khong-co/", HTTP_USER_AGENT=BROWSER)
    assert not ProcedureViewDay.objects.exists()


class ReplayingPageCache:
    """The simplest page cache: stores each path's first 200 response in Django's cache (which
    keeps a copy, not the object) and replays it. (Django's own cache middleware stores no page
    that sets the CSRF cookie, as these pages do.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = f"test-page-cache:{request.path}"
        if (cached := cache.get(key)) is not None:
            return cached
        response = self.get_response(request)
        if response.status_code == 200:
            if hasattr(response, "render"):
                response.render()
            cache.set(key, response)
        return response


@pytest.fixture
def page_cache(settings):
    """A page cache just inside the counting middleware, emptied afterwards."""
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "tests.catalog.test_home.ReplayingPageCache",
        *settings.MIDDLEWARE[1:],
    ]
    yield
    cache.clear()


def test_a_cached_response_is_counted_too(client, agency, page_cache):
    """A page cache inside the middleware replays the stored response, header included."""
    page = ProcedureFactory(agency=agency)
    url = page.url
    for _ in range(2):
        assert client.get(url, HTTP_USER_AGENT=BROWSER).status_code == 200
    ProcedurePage.objects.filter(pk=page.pk).update(live=False)  # only the cache has it now
    response = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200 and PROCEDURE_HEADER not in response
    assert ProcedureViewDay.objects.get(procedure=page).count == 3


def test_home_lists_the_most_viewed_of_the_last_30_days(client, agency):
    popular, second, old = (ProcedureFactory(agency=agency, title=t) for t in ("A", "B", "C"))
    today = timezone.localdate()
    ProcedureViewDay.objects.create(procedure=popular, day=today, count=9)
    ProcedureViewDay.objects.create(
        procedure=second, day=today - datetime.timedelta(days=29), count=4
    )
    ProcedureViewDay.objects.create(
        procedure=old, day=today - datetime.timedelta(days=30), count=99
    )
    html = get_html(client, "/")
    block = html.split('id="h-viewed"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<a href="[^"]+">([^<]+)</a>', block) == ["A", "B"]
    assert "Most viewed in the last 30 days" in get_html(client, "/en/")


def test_most_viewed_on_a_province_home_is_that_provinces(client):
    pages = small_catalogue()
    ProcedureViewDay.objects.create(procedure=pages["birth_cb"], day=timezone.localdate(), count=5)
    assert 'id="h-viewed"' in get_html(client, "/")
    assert 'id="h-viewed"' not in get_html(client, pages["ld"].url)
