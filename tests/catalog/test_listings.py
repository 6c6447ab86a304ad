"""Procedure lists of the agency, province, field and life-event pages: filters, pages, scope,
and a query count that does not grow with the list."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from catalog.listing import PER_PAGE
from catalog.models import Status

from ..factories import (
    AgencyFactory,
    FieldFactory,
    LifeEventFactory,
    ProcedureFactory,
    small_catalogue,
)
from .test_pages import get_html, text_of

pytestmark = pytest.mark.django_db
PORTAL = "https://dichvucong.lamdong.gov.vn/dvc"


def listed_titles(page_html: str) -> list[str]:
    listing = re.search(r'<ul class="procedures">(.*?)</ul>', page_html, re.S)
    assert listing, "no procedure list"
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', listing.group(1))


def many(agency, count: int, **values) -> list:
    return [
        ProcedureFactory(agency=agency, title=f"Thủ tục {n:03d}", slug=f"tt-{n:03d}", **values)
        for n in range(count)
    ]


# --- the agency page -------------------------------------------------------------------------


def test_agency_page_pages_its_procedures(client, agency):
    many(agency, PER_PAGE + 5)
    first = get_html(client, agency.url)
    assert len(listed_titles(first)) == PER_PAGE
    assert "trang 1 / 2" in first
    assert 'rel="next" href="?page=2#thu-tuc"' in first
    assert 'rel="prev"' not in first
    second = get_html(client, agency.url + "?page=2")
    assert listed_titles(second) == [f"Thủ tục {n:03d}" for n in range(PER_PAGE, PER_PAGE + 5)]
    assert "trang 2 / 2" in second and 'rel="prev" href="?page=1#thu-tuc"' in second


@pytest.mark.parametrize("page", ["99", "0", "abc", "-1"])
def test_a_page_out_of_range_gives_the_last_page_and_a_non_number_the_first(client, agency, page):
    many(agency, PER_PAGE + 1)
    html = get_html(client, f"{agency.url}?page={page}")
    expected = "trang 1 / 2" if page == "abc" else "trang 2 / 2"
    assert expected in html


def test_agency_page_filters_by_level_tier_and_field(client, agency, building, civil):
    ProcedureFactory(
        agency=agency, title="Giấy phép xây dựng", field=building, level=3, submission_url=PORTAL
    )
    ProcedureFactory(agency=agency, title="Khai sinh", field=civil, level=2)
    ProcedureFactory(
        agency=agency, title="Khai tử", field=civil, level=2, tier_province=False, tier_commune=True
    )
    assert listed_titles(get_html(client, agency.url + "?level=3")) == ["Giấy phép xây dựng"]
    assert listed_titles(get_html(client, agency.url + "?field=ho-tich")) == [
        "Khai sinh",
        "Khai tử",
    ]
    html = get_html(client, agency.url + "?tier=commune&field=ho-tich")
    assert listed_titles(html) == ["Khai tử"]
    # The chosen values are shown as chosen, and kept by the page links.
    assert re.search(r'<option value="commune" selected>', html)
    assert re.search(r'<option value="ho-tich" selected>', html)


def test_filters_keep_their_values_across_pages(client, agency, civil):
    many(agency, PER_PAGE + 1, field=civil)
    html = get_html(client, agency.url + "?field=ho-tich")
    assert 'href="?field=ho-tich&amp;page=2#thu-tuc"' in html


@pytest.mark.parametrize("query", ["level=9", "tier=moon", "field=khong-co", "level=abc"])
def test_an_invalid_filter_is_ignored_with_a_message(client, agency, query):
    many(agency, 2)
    html = get_html(client, f"{agency.url}?{query}")
    assert len(listed_titles(html)) == 2
    assert "Một số giá trị lọc không hợp lệ nên đã được bỏ qua." in html


def test_abolished_procedures_drop_out_unless_asked_for(client, agency):
    ProcedureFactory(agency=agency, title="Còn hiệu lực")
    ProcedureFactory(
        agency=agency,
        title="Đã bỏ",
        status=Status.ABOLISHED,
        abolished_on=datetime.date(2024, 1, 1),
    )
    ProcedureFactory(agency=agency, title="Bản nháp", live=False)
    assert listed_titles(get_html(client, agency.url)) == ["Còn hiệu lực"]
    html = get_html(client, agency.url + "?status=abolished")
    assert listed_titles(html) == ["Còn hiệu lực", "Đã bỏ"]
    assert 'name="status" value="abolished"' in html and "checked" in html
    assert "Đã bãi bỏ" in text_of(html)


def test_each_row_shows_code_and_level_badge(client, agency):
    ProcedureFactory(
        agency=agency, code="1.000894", title="Giấy phép", level=3, submission_url=PORTAL
    )
    html = get_html(client, agency.url)
    assert "1.000894" in html
    assert '<span class="level level-3">Mức độ 3 · Dịch vụ công trực tuyến một phần</span>' in html


def test_agency_page_in_english(client, agency):
    ProcedureFactory(agency=agency, title="Khai sinh", title_en="Birth registration", level=2)
    html = get_html(client, "/en" + agency.url)
    assert "Birth registration" in html
    assert "Filter the list" in html and "Level 2" in html


def test_empty_agency_page_renders(client, agency):
    html = get_html(client, agency.url)
    assert "Không có thủ tục nào phù hợp." in html
    assert 'class="pagination"' not in html


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_of", ["agency", "province", "field", "event"])
def test_query_count_does_not_grow_with_the_list(client, agency, url_of):
    event = LifeEventFactory(code="co-con-nho-test")
    field = FieldFactory(code="linh-vuc-lon")
    urls = {
        "agency": agency.url,
        "province": agency.get_parent().url,
        "field": f"/linh-vuc/{field.code}/",
        "event": f"/su-kien/{event.code}/",
    }

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            other = AgencyFactory(province=agency.province) if n % 10 == 0 else agency
            page = ProcedureFactory(agency=other, field=field, slug=f"p-{n}", level=1 + n % 2)
            page.life_events.add(event)
            page.save()

    add(5, 0)
    client.get(urls[url_of])  # warm caches (site root paths, content types)
    small = queries_for(client, urls[url_of])
    add(55, 5)
    assert queries_for(client, urls[url_of]) <= small
    if url_of in ("field", "event"):
        assert "60 thủ tục" in get_html(client, urls[url_of])


# --- field and life-event pages --------------------------------------------------------------


def test_field_page_lists_all_provinces_with_a_province_filter(client):
    pages = small_catalogue()
    html = get_html(client, "/linh-vuc/ho-tich/")
    assert listed_titles(html) == ["Đăng ký khai sinh", "Đăng ký khai sinh"]
    assert "Sở Tư pháp" in html and "UBND cấp xã" in html  # the agency column
    assert 'name="province"' in html
    assert 'name="field"' not in html  # the page is the field's
    assert listed_titles(get_html(client, "/linh-vuc/ho-tich/?province=cao-bang")) == [
        "Đăng ký khai sinh"
    ]
    assert pages["birth_cb"].url in get_html(client, "/linh-vuc/ho-tich/?province=cao-bang")


def test_field_page_on_a_province_portal_lists_that_province_only(client, request):
    pages = small_catalogue()
    portal = Site.objects.create(hostname="caobang.test", root_page=pages["cb"])
    request.addfinalizer(portal.delete)  # also clears Wagtail's cached site list
    html = client.get("/linh-vuc/ho-tich/", HTTP_HOST="caobang.test").content.decode()
    assert len(listed_titles(html)) == 1
    assert 'name="province"' not in html


def test_unknown_field_or_life_event_is_404(client, db):
    assert client.get("/linh-vuc/khong-co/").status_code == 404
    assert client.get("/su-kien/khong-co/").status_code == 404


def test_field_index_lists_fields_with_counts(client):
    small_catalogue()
    html = text_of(get_html(client, "/linh-vuc/"))
    assert "Hộ tịch 2 thủ tục" in html  # the abolished one is not counted
    assert "Xây dựng 2 thủ tục" in html
    english = text_of(get_html(client, "/en/linh-vuc/"))
    assert "Procedures by field" in english and "2 procedures" in english


def test_field_index_and_page_render_for_an_empty_catalogue(client, db):
    assert "Chưa có lĩnh vực nào." in get_html(client, "/linh-vuc/")
    FieldFactory(code="trong")
    assert "Không có thủ tục nào phù hợp." in get_html(client, "/linh-vuc/trong/")
    assert "No matching procedures." in get_html(client, "/en/linh-vuc/trong/")


def test_province_page_lists_and_filters_its_procedures(client):
    pages = small_catalogue()
    html = get_html(client, pages["ld"].url)
    assert listed_titles(html) == [
        "Cấp giấy phép sửa chữa nhà ở",
        "Cấp giấy phép xây dựng",
        "Đăng ký khai sinh",
    ]
    assert listed_titles(get_html(client, pages["ld"].url + "?field=xay-dung&level=3")) == [
        "Cấp giấy phép xây dựng"
    ]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_browse_page_renders_for_an_empty_catalogue(client, province, prefix):
    LifeEventFactory(code="trong-rong")
    FieldFactory(code="rong")
    empty_agency = AgencyFactory(province=province)
    urls = [
        "/",
        province.url,
        empty_agency.url,
        "/linh-vuc/",
        "/linh-vuc/rong/",
        "/su-kien/",
        "/su-kien/trong-rong/",
        "/tra-cuu-ho-so/",
    ]
    for url in urls:
        get_html(client, prefix + url)


def test_untranslated_names_in_an_english_list_are_marked_vietnamese(client, agency):
    translated = ProcedureFactory(agency=agency, title="Cấp phép", title_en="A permit")
    untranslated = ProcedureFactory(agency=agency, title="Đăng ký hộ kinh doanh")
    urls = translated.url, untranslated.url, agency.url  # before English is switched on
    assert ' lang="vi">Đăng ký hộ kinh doanh' not in get_html(client, urls[2])
    english = get_html(client, "/en" + urls[2])
    assert f'<a href="/en{urls[0]}">A permit</a>' in english
    assert f'<a href="/en{urls[1]}" lang="vi">Đăng ký hộ kinh doanh</a>' in english


def test_an_english_list_orders_by_the_titles_it_shows(client, agency):
    """Untranslated titles show in Vietnamese and take their place among the English ones, on
    SQLite and PostgreSQL alike (ordering by the English title alone puts them first on one and
    last on the other)."""
    ProcedureFactory(agency=agency, title="Cấp phép quy hoạch", title_en="Zoning permit")
    ProcedureFactory(agency=agency, title="Khai sinh")  # no English title
    ProcedureFactory(agency=agency, title="Cấp phép", title_en="A permit")
    english = get_html(client, "/en" + agency.url)
    listing = re.search(r'<ul class="procedures">(.*?)</ul>', english, re.S).group(1)
    listed = re.findall(r'<li><a href="[^"]+"(?: lang="vi")?>([^<]+)</a>', listing)
    assert listed == ["A permit", "Khai sinh", "Zoning permit"]


def test_an_english_field_index_orders_by_the_names_it_shows(client, agency):
    for code, name, name_en in [
        ("xd", "Xây dựng", "Construction"),
        ("dd", "Đất đai", ""),
        ("gd", "Giáo dục", "Education"),
    ]:
        ProcedureFactory(agency=agency, field=FieldFactory(code=code, name=name, name_en=name_en))
    english = text_of(get_html(client, "/en/linh-vuc/"))
    shown = [english.index(name) for name in ("Construction", "Đất đai", "Education")]
    assert shown == sorted(shown)
