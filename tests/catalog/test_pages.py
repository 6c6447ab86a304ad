"""The public pages, through the test client: home, province, agency and procedure pages."""

import datetime
import html
import re

import pytest

from catalog.models import RoadmapTarget, Status

from ..factories import (
    AgencyFactory,
    FieldFactory,
    ProcedureFactory,
    ProvinceFactory,
    cao_bang_province,
    lam_dong_province,
)

PORTAL = "https://dichvucong.lamdong.gov.vn/dvc/gpxd"


def get_html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def text_of(page_html: str) -> str:
    """The page's visible text, tags removed and whitespace collapsed, entities decoded."""
    without_tags = re.sub(r"<[^>]+>", " ", page_html)
    return " ".join(html.unescape(without_tags).split())


def totals_rows(page_html: str) -> list[tuple[str, int, int, int]]:
    table = re.search(r'<table class="totals">(.*?)</table>', page_html, re.S)
    assert table, "no totals table"
    rows = re.findall(
        r"<th[^>]*>([^<]+)</th>\s*<td>(\d+)</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>",
        table.group(1),
    )
    return [(label.strip(), int(a), int(p), int(g)) for label, a, p, g in rows]


# --- home --------------------------------------------------------------------------------------


def test_home_lists_published_provinces(client, province):
    cao_bang_province()
    ProvinceFactory(code="nhap", title="Tỉnh Chưa Đăng", live=False)
    page = get_html(client, "/")
    assert 'href="/lam-dong/"' in page and "Lâm Đồng" in page
    assert 'href="/cao-bang/"' in page and "Cao Bằng" in page
    assert "Tỉnh Chưa Đăng" not in page
    assert '<html lang="vi">' in page


# --- province ----------------------------------------------------------------------------------


@pytest.fixture
def announced_province(db):
    province = ProvinceFactory(
        code="thai-binh",
        title="Thái Bình",
        allowed_submission_domains="dichvucong.thaibinh.gov.vn",
        decision="3240/QĐ-UBND",
        announced_total=100,
        announced_province=60,
        announced_commune=10,
    )
    agency = AgencyFactory(province=province, code="STTTT", title="Sở Thông tin Thái Bình")
    ProcedureFactory(agency=agency, tier_province=True)
    ProcedureFactory(agency=agency, tier_province=True, tier_commune=True)
    ProcedureFactory(agency=agency, tier_province=False, tier_commune=True)
    ProcedureFactory(agency=agency, tier_province=True, live=False)  # a draft: not counted
    return province


def test_province_page_shows_announced_totals_beside_published_counts(client, announced_province):
    page = get_html(client, announced_province.url)
    assert totals_rows(page) == [
        ("Tổng số", 100, 3, 97),
        ("Cấp tỉnh", 60, 2, 58),
        ("Cấp xã", 10, 2, 8),
    ]  # no district row: the province announced no district total


def test_province_page_lists_its_agencies_and_decision(client, announced_province):
    page = get_html(client, announced_province.url)
    assert "Sở Thông tin Thái Bình" in page
    assert "3240/QĐ-UBND" in page


def test_province_page_without_announced_totals_has_no_table(client, province):
    page = get_html(client, province.url)
    assert 'class="totals"' not in page


# --- agency ------------------------------------------------------------------------------------


def test_agency_page_lists_its_active_published_procedures(client, agency):
    field = FieldFactory(code="bao-chi", name="Báo chí")
    ProcedureFactory(agency=agency, code="1.000002", title="Cấp thẻ nhà báo", field=field)
    ProcedureFactory(
        agency=agency, code="1.000001", title="Cấp giấy phép xuất bản bản tin", level=1
    )
    ProcedureFactory(
        agency=agency,
        code="1.000003",
        title="Thủ tục đã bãi bỏ ABC",
        status=Status.ABOLISHED,
        abolished_on=datetime.date(2024, 1, 1),
    )
    ProcedureFactory(agency=agency, code="1.000004", title="Thủ tục nháp XYZ", live=False)
    other = AgencyFactory(province=agency.province, code="SYT", title="Sở Y tế")
    ProcedureFactory(agency=other, code="1.000005", title="Thủ tục của sở khác")

    page = get_html(client, agency.url)
    text = text_of(page)
    assert "Cấp thẻ nhà báo" in text and "Cấp giấy phép xuất bản bản tin" in text
    assert text.index("Cấp giấy phép xuất bản bản tin") < text.index("Cấp thẻ nhà báo")
    assert "1.000002" in text and "Báo chí" in text and "Mức độ 2" in text
    assert "Thủ tục đã bãi bỏ ABC" not in text
    assert "Thủ tục nháp XYZ" not in text
    assert "Thủ tục của sở khác" not in text
    assert "2 thủ tục" in text


# --- procedure ---------------------------------------------------------------------------------


def test_procedure_page_shows_the_essentials_and_the_start_button(client, agency):
    procedure = ProcedureFactory(
        agency=agency,
        code="1.000894",
        title="Cấp giấy phép xây dựng",
        level=3,
        submission_url=PORTAL,
        continues_on="Cổng Dịch vụ công tỉnh Lâm Đồng",
    )
    page = get_html(client, procedure.url)
    text = text_of(page)
    assert "<h1>Cấp giấy phép xây dựng</h1>" in page
    assert "1.000894" in text
    assert "Mức độ 3 · Dịch vụ công trực tuyến một phần" in text
    assert "Sở Thông tin và Truyền thông" in text
    start = re.search(r'<a class="button-start" href="([^"]+)"', page)
    assert start and start.group(1) == PORTAL
    assert "Cổng Dịch vụ công tỉnh Lâm Đồng" in text
    assert "đã bị bãi bỏ" not in text


def test_level_4_shows_its_label_and_start_button(client, agency):
    procedure = ProcedureFactory(agency=agency, level=4, submission_url=PORTAL)
    page = get_html(client, procedure.url)
    assert "toàn trình" in page
    assert f'href="{PORTAL}"' in page


@pytest.mark.parametrize("level", [1, 2])
def test_levels_1_and_2_have_no_start_button(client, agency, level):
    procedure = ProcedureFactory(agency=agency, level=level)
    page = get_html(client, procedure.url)
    assert "button-start" not in page
    assert "Thông tin trực tuyến" in page
    assert f"Mức độ {level}" in page


def test_abolished_procedure_shows_a_banner_and_its_successor(client, agency):
    successor = ProcedureFactory(agency=agency, title="Thủ tục mới thay thế")
    procedure = ProcedureFactory(
        agency=agency,
        title="Thủ tục cũ",
        status=Status.ABOLISHED,
        abolished_on=datetime.date(2024, 7, 1),
        abolishing_decision="12/QĐ-UBND",
        successor=successor,
    )
    page = get_html(client, procedure.url)
    banner = re.search(r'<div class="banner banner-abolished"[^>]*>(.*?)</div>', page, re.S)
    assert banner, "no abolished banner"
    banner_text = text_of(banner.group(1))
    assert "Thủ tục này đã bị bãi bỏ" in banner_text
    assert "01/07/2024" in banner_text
    assert "12/QĐ-UBND" in banner_text
    assert "Thủ tục mới thay thế" in banner_text
    assert f'href="{successor.url}"' in banner.group(1)


def test_procedure_page_shows_its_roadmap_with_statuses(client, agency):
    procedure = ProcedureFactory(agency=agency, level=2)
    procedure.roadmap_targets = [
        RoadmapTarget(target_level=2, due_year=2014, source_decision="1039/QĐ-UBND"),
        RoadmapTarget(target_level=3, due_year=2015),
        RoadmapTarget(target_level=4, due_date=datetime.date(2999, 6, 30)),
    ]
    procedure.save()
    text = text_of(get_html(client, procedure.url))
    assert "Mức độ 2 – 2014 (1039/QĐ-UBND): Đã đạt" in text
    assert "Mức độ 3 – 2015: Quá hạn, chưa đạt" in text
    assert "Mức độ 4 – 30/06/2999: Chưa đến hạn" in text


def test_a_draft_procedure_is_not_served(client, agency):
    procedure = ProcedureFactory(agency=agency, live=False)
    assert client.get(procedure.url).status_code == 404


@pytest.mark.parametrize(
    "field_name",
    ["result", "fee", "processing_time", "requirements", "other_ways", "continues_on"],
)
def test_html_in_text_fields_is_escaped(client, agency, field_name):
    payload = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
    procedure = ProcedureFactory(
        agency=agency, level=3, submission_url=PORTAL, **{field_name: payload}
    )
    page = get_html(client, procedure.url)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in page


def test_html_in_titles_and_steps_is_escaped(client, agency):
    procedure = ProcedureFactory(
        agency=agency,
        title="Đăng ký <b onmouseover=alert(1)>kết hôn</b>",
        steps=[("step", {"title": "<i>Bước</i>", "description": "<script>x()</script>"})],
        keywords="<svg onload=alert(1)>",
    )
    page = get_html(client, procedure.url)
    assert "<b onmouseover" not in page and "&lt;b onmouseover=alert(1)&gt;" in page
    assert "<i>Bước</i>" not in page and "&lt;i&gt;Bước&lt;/i&gt;" in page
    assert "<script>x()</script>" not in page
    assert "<svg onload" not in page


# --- English -----------------------------------------------------------------------------------


def test_english_prefix_serves_english(client, agency):
    procedure = ProcedureFactory(
        agency=agency,
        title="Cấp giấy phép xây dựng",
        title_en="Construction permit",
        result="Giấy phép xây dựng",
        result_en="A construction permit",
        level=3,
        submission_url=PORTAL,
    )
    vietnamese_url = procedure.url
    assert not vietnamese_url.startswith("/en/")
    page = get_html(client, "/en" + vietnamese_url)
    text = text_of(page)
    assert '<html lang="en">' in page
    assert "<h1>Construction permit</h1>" in page
    assert "A construction permit" in text
    assert "Procedure code" in text  # the interface is English too
    assert "Cấp giấy phép xây dựng" not in text

    vietnamese = get_html(client, vietnamese_url)
    assert "<h1>Cấp giấy phép xây dựng</h1>" in vietnamese
    assert '<html lang="vi">' in vietnamese


def test_english_falls_back_to_vietnamese_values(client, agency):
    procedure = ProcedureFactory(agency=agency, title="Đăng ký khai sinh")
    page = get_html(client, "/en" + procedure.url)
    assert '<html lang="en">' in page
    assert "<h1>Đăng ký khai sinh</h1>" in page


def test_english_home_lists_provinces_by_their_english_names(client, db):
    lam_dong_province(title_en="Lam Dong Province")
    page = get_html(client, "/en/")
    assert "Lam Dong Province" in page
    assert 'href="/en/lam-dong/"' in page
