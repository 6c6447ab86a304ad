"""A citizen on a small phone goes from the home page to a procedure and reads it."""

import pytest

from catalog.models import RoadmapTarget

from ..factories import AgencyFactory, ProcedureFactory, lam_dong_province

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_tree"),  # back after an earlier transactional test's flush
]


def test_home_to_procedure(live_server, page, site_tree):
    province = lam_dong_province(announced_total=1321)
    agency = AgencyFactory(province=province, code="SXD", title="Sở Xây dựng")
    procedure = ProcedureFactory(
        agency=agency,
        code="1.000894",
        title="Cấp giấy phép xây dựng",
        level=3,
        submission_url="https://dichvucong.lamdong.gov.vn/gpxd",
        continues_on="Cổng Dịch vụ công tỉnh Lâm Đồng",
    )
    RoadmapTarget.objects.create(procedure=procedure, target_level=4, due_year=2020)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Lâm Đồng").click()
    assert page.get_by_role("cell", name="1321").is_visible()
    page.get_by_role("link", name="Sở Xây dựng").click()
    page.get_by_role("link", name="Cấp giấy phép xây dựng").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Cấp giấy phép xây dựng"
    assert page.get_by_text("1.000894").is_visible()
    start = page.get_by_role("link", name="Bắt đầu nộp hồ sơ")
    assert start.get_attribute("href") == "https://dichvucong.lamdong.gov.vn/gpxd"
    assert page.get_by_text("Bạn sẽ tiếp tục trên Cổng Dịch vụ công tỉnh Lâm Đồng.").is_visible()
    assert page.get_by_text("Quá hạn, chưa đạt").is_visible()
    # Nothing overflows the narrow screen of a cheap phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
