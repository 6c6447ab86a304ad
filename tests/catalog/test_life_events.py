"""Life events: the national portal's groups loaded by migration, their pages, and the demo's
links from procedures to them."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from wagtail.models import Site

from catalog.management.commands.load_demo import life_event_codes
from catalog.models import Audience, LifeEvent, ProcedurePage
from cms.models import PortalSettings

from ..factories import LifeEventFactory, ProcedureFactory, small_catalogue
from .test_pages import get_html, text_of

pytestmark = pytest.mark.django_db
groups = importlib.import_module("catalog.migrations.0007_national_life_events")


def test_the_migration_loads_both_groups_in_the_portals_order():
    citizens = LifeEvent.objects.filter(audience=Audience.CITIZENS)
    assert [e.name for e in citizens][:3] == ["Có con nhỏ", "Học tập", "Việc làm"]
    assert len(citizens) == 11
    businesses = LifeEvent.objects.filter(audience=Audience.BUSINESSES)
    assert [e.name for e in businesses][0] == "Khởi sự kinh doanh"
    assert businesses.last().name == "Tạm dừng, chấm dứt hoạt động"
    assert LifeEvent.objects.get(code="co-con-nho").name_en == "Having a child"


def test_the_migration_keeps_an_existing_life_event():
    LifeEvent.objects.filter(code="hoc-tap").delete()
    LifeEventFactory(code="hoc-tap", name="Học tập (riêng)", description="Của tỉnh")
    groups.load_groups(apps, None)
    kept = LifeEvent.objects.get(code="hoc-tap")
    assert kept.name == "Học tập (riêng)" and kept.description == "Của tỉnh"
    assert kept.audience == Audience.CITIZENS and kept.sort_order == 2


def linked(event_code: str, *pages) -> None:
    event = LifeEvent.objects.get(code=event_code)
    for page in pages:
        page.life_events.add(event)
        page.save()


def test_life_event_index_lists_both_audiences_with_counts(client):
    pages = small_catalogue()
    linked("co-con-nho", pages["birth"], pages["birth_cb"], pages["abolished"])
    text = text_of(get_html(client, "/su-kien/"))
    assert "Công dân" in text and "Doanh nghiệp" in text
    assert "Có con nhỏ 2 thủ tục" in text  # the abolished one not counted
    english = text_of(get_html(client, "/en/su-kien/"))
    assert "Procedures by life event" in english and "Having a child 2 procedures" in english


def test_life_event_page_lists_its_procedures_with_their_agency(client):
    pages = small_catalogue()
    linked("co-con-nho", pages["birth"], pages["birth_cb"])
    html = get_html(client, "/su-kien/co-con-nho/")
    assert "<h1>Có con nhỏ</h1>" in html
    assert "Sở Tư pháp" in html and "UBND cấp xã" in html
    assert (
        text_of(get_html(client, "/su-kien/co-con-nho/?province=lam-dong")).count(
            "Đăng ký khai sinh"
        )
        == 1
    )
    assert "<h1>Having a child</h1>" in get_html(client, "/en/su-kien/co-con-nho/")


def test_life_event_pages_render_empty_and_large(client, agency):
    assert "Không có thủ tục nào phù hợp." in get_html(client, "/su-kien/huu-tri/")
    event = LifeEvent.objects.get(code="huu-tri")
    for n in range(45):
        page = ProcedureFactory(agency=agency, slug=f"p-{n}")
        page.life_events.add(event)
        page.save()
    html = get_html(client, "/su-kien/huu-tri/")
    assert "45 thủ tục" in html and "trang 1 / 3" in html


@pytest.mark.parametrize(
    "field, title, event",
    [
        ("ho-tich", "Đăng ký khai sinh", "co-con-nho"),
        ("ho-tich", "Đăng ký lại việc sinh có yếu tố nước ngoài", "co-con-nho"),
        ("xay-dung", "Cấp giấy phép xây dựng", "dien-dat-xay-dung"),
        ("xay-dung-do-thi", "Cấp GPXD nhà ở riêng lẻ đô thị", "dien-dat-xay-dung"),
        ("tu-phap", "Thủ tục cấp giấy xác nhận tình trạng hôn nhân", "hon-nhan-gia-dinh"),
        ("duong-bo", "Cấp, đổi giấy phép lái xe", "phuong-tien-lai-xe"),
    ],
)
def test_the_demo_links_obvious_procedures_to_their_life_event(field, title, event):
    assert event in life_event_codes(field, title)


def test_the_demo_leaves_unclear_procedures_unlinked():
    assert life_event_codes("tai-chinh-ngan-sach", "Cấp mã số đơn vị sử dụng ngân sách") == []


def test_load_demo_links_its_procedures_and_fills_the_portal_settings():
    call_command("load_demo", stdout=io.StringIO())
    births = ProcedurePage.objects.filter(life_events__code="co-con-nho")
    assert births.exists() and all("sinh" in p.title for p in births)
    permits = ProcedurePage.objects.filter(
        life_events__code="dien-dat-xay-dung", title="Cấp giấy phép xây dựng"
    )
    assert permits.exists()
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    assert portal.status_lookup_url.startswith("https://") and portal.hotline


def test_life_event_pages_on_a_province_portal_list_that_province_only(client, request):
    pages = small_catalogue()
    linked("co-con-nho", pages["birth"], pages["birth_cb"])
    portal = Site.objects.create(hostname="caobang.test", root_page=pages["cb"])
    request.addfinalizer(portal.delete)  # also clears Wagtail's cached site list
    html = client.get("/su-kien/co-con-nho/", HTTP_HOST="caobang.test").content.decode()
    assert "UBND cấp xã" in html and "Sở Tư pháp" not in html
    assert 'name="province"' not in html
    index = client.get("/su-kien/", HTTP_HOST="caobang.test").content.decode()
    assert "Có con nhỏ 1 thủ tục" in text_of(index)
