"""The procedure page in the order of the citizen's questions: an empty and a full procedure in
both languages, the start button's states, links out, the checklist, the QR image, the English
fallback note, its weight and its number of queries."""

import datetime
import gzip
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Site

from catalog.models import AgencyPage, ProcedurePage, Status
from cms.models import PortalSettings

from ..factories import (
    AgencyFactory,
    FieldFactory,
    FormDocumentFactory,
    ProcedureFactory,
    SubjectFactory,
    citing,
    lam_dong_province,
)
from .test_pages import get_html, text_of

PORTAL = "https://dichvucong.lamdong.gov.vn/dvc/gpxd"
LONG = (
    "Tổ chức, cá nhân đề nghị cấp giấy phép xây dựng nộp hồ sơ tại Bộ phận tiếp nhận và trả kết "
    "quả của cơ quan có thẩm quyền; cán bộ kiểm tra tính đầy đủ, hợp lệ của hồ sơ và hướng dẫn "
    "bổ sung một lần nếu hồ sơ chưa đầy đủ theo quy định. "
) * 3
SECTION_IDS = ["doi-tuong", "ho-so", "thoi-han", "noi-nop", "trinh-tu", "ket-qua", "can-cu"]


@pytest.fixture
def agency(db):
    return AgencyFactory(
        province=lam_dong_province(),
        code="SXD",
        title="Sở Xây dựng",
        address="36 Trần Phú, Đà Lạt",
        phone="0263 3822 000",
    )


def full_values(forms) -> dict:
    """Every field the page shows, filled: long Vietnamese text, three cases of documents
    citing many forms, every channel, steps and legal documents."""
    cases = []
    for n, case_forms in enumerate([forms[:6], forms[6:10], forms[10:]], start=1):
        items = [
            {
                "name": f"Đơn đề nghị số {i} – {LONG[:120]}",
                "originals": 1,
                "copies": 2,
                "form": f.pk,
                "form_code": f.code,
            }
            for i, f in enumerate(case_forms)
        ]
        items.append(
            {
                "name": "Bản vẽ thiết kế",
                "originals": 2,
                "copies": None,
                "form": None,
                "form_code": "BV-01",
            }
        )
        cases.append({"type": "case", "value": {"case": f"Trường hợp {n}", "documents": items}})
    channels = [
        (
            "channel",
            {
                "channel": kind,
                "processing_time": "15 ngày",
                "fee": "75.000 đồng",
                "description": LONG,
            },
        )
        for kind in ("in_person", "online", "post")
    ]
    steps = [("step", {"title": f"Bước {n}", "description": LONG}) for n in range(1, 7)]
    legal = [
        (
            "legal_document",
            {
                "number": f"{n}/2024/NĐ-CP",
                "summary": "Quy định chi tiết một số điều của Luật Xây dựng",
                "date": datetime.date(2024, 1, n),
                "issuer": "Chính phủ",
                "url": f"https://vanban.chinhphu.vn/{n}",
            },
        )
        for n in range(1, 6)
    ]
    return dict(
        code="1.000894",
        title="Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV",
        title_en="Construction permit",
        full_title="Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV, nhà ở riêng lẻ",
        decision="1039/QĐ-UBND",
        procedure_type="Thủ tục hành chính được luân chuyển",
        tier_district=True,
        level=4,
        submission_url=PORTAL,
        start_button_text="Nộp hồ sơ xin phép",
        continues_on="Cổng Dịch vụ công tỉnh Lâm Đồng",
        other_ways="Nộp trực tiếp hoặc qua bưu chính công ích.",
        online_payment=True,
        processing_time=LONG,
        fee=LONG,
        result="Giấy phép xây dựng",
        result_en="A construction permit",
        requirements=LONG,
        receiving_address="Trung tâm Phục vụ hành chính công tỉnh, 36 Trần Phú, Đà Lạt",
        competent_agency="Sở Xây dựng",
        keywords="GPXD; giấy phép xây dựng; xin phép xây nhà",
        description="<p>Thủ tục cấp giấy phép xây dựng.</p>",
        documents=cases,
        channels=channels,
        steps=steps,
        legal_basis=legal,
    )


@pytest.fixture
def full(agency):
    forms = [FormDocumentFactory() for _ in range(12)]
    procedure = ProcedureFactory(agency=agency, **full_values(forms))
    procedure.subjects.set(
        [
            SubjectFactory(name="Công dân Việt Nam", name_en="Vietnamese citizens"),
            SubjectFactory(name="Tổ chức"),
        ]
    )
    procedure.save_revision().publish()
    return ProcedurePage.objects.get(pk=procedure.pk)


@pytest.fixture
def empty(agency):
    return ProcedureFactory(agency=agency, code="1.000001", title="Thủ tục trống", level=1)


def english(client, procedure) -> str:
    # A request in English leaves English active on the test's thread: ask for the Vietnamese URL.
    with translation.override("vi"):
        url = procedure.url
    return get_html(client, "/en" + url)


# --- the order of the citizen's questions -----------------------------------------------------


def test_a_full_procedure_answers_the_questions_in_order_with_a_contents_list(client, full):
    page = get_html(client, full.url)
    positions = [page.index(f'<h2 id="{section}"') for section in SECTION_IDS]
    assert positions == sorted(positions)
    contents = re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)
    assert re.findall(r'href="#([a-z-]+)"', contents) == SECTION_IDS
    text = text_of(page)
    for fact in ("1.000894", "Sở Xây dựng", "Cấp tỉnh, Cấp huyện", "Công dân Việt Nam; Tổ chức"):
        assert fact in text
    assert "36 Trần Phú, Đà Lạt" in text and 'href="tel:02633822000"' in page
    assert "Quyết định công bố: 1039/QĐ-UBND" in text
    assert re.search(r"Cập nhật lần cuối: \d\d/\d\d/\d{4}", text)


def test_headings_go_down_one_level_at_a_time(client, full):
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", get_html(client, full.url))]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_an_empty_procedure_renders_only_what_it_has(client, empty):
    for page in (get_html(client, empty.url), english(client, empty)):
        assert '<h2 id="noi-nop"' in page
        for section in ("doi-tuong", "ho-so", "thoi-han", "trinh-tu", "ket-qua", "can-cu"):
            assert f'id="{section}"' not in page and f'href="#{section}"' not in page
        assert "button-start" not in page and 'class="checklist"' not in page


def test_where_to_go_gives_the_one_stop_hours_and_hotline(client, empty):
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.opening_hours, portal.hotline = "Thứ Hai – Thứ Sáu, 7:00–17:00", "0263 3822 555"
    portal.save()
    where = get_html(client, empty.url).split('id="noi-nop"', 1)[1].split("</section>", 1)[0]
    assert "<dt>Giờ làm việc</dt><dd>Thứ Hai – Thứ Sáu, 7:00–17:00</dd>" in where
    assert '<a href="tel:02633822555">0263 3822 555</a>' in where
    english_where = english(client, empty).split('id="noi-nop"', 1)[1]
    assert '<dt>Opening hours</dt><dd lang="vi">Thứ Hai – Thứ Sáu' in english_where
    portal.opening_hours_en = "Monday to Friday, 7:00–17:00"
    portal.save()
    english_where = english(client, empty).split('id="noi-nop"', 1)[1]
    assert "<dt>Opening hours</dt><dd>Monday to Friday, 7:00–17:00</dd>" in english_where


def test_an_agencys_own_hours_come_before_the_portals(client, empty, agency):
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.opening_hours = "Thứ Hai – Thứ Sáu, 7:00–17:00"
    portal.save()
    agency.opening_hours = "Thứ Hai – Thứ Bảy, 7:30–11:30"
    agency.save_revision().publish()
    where = get_html(client, empty.url).split('id="noi-nop"', 1)[1].split("</section>", 1)[0]
    assert "<dd>Thứ Hai – Thứ Bảy, 7:30–11:30</dd>" in where
    assert "7:00–17:00" not in where
    assert "Thứ Hai – Thứ Bảy, 7:30–11:30" in text_of(get_html(client, agency.url))


def test_the_full_procedure_renders_in_english(client, full):
    page = english(client, full)
    text = text_of(page)
    assert "<h1>Construction permit</h1>" in page
    assert "A construction permit" in text
    assert "Procedure code" in text


# --- documents, checklist and forms ---------------------------------------------------------


def test_documents_are_a_checklist_with_counts_and_each_forms_facts(client, full):
    page = get_html(client, full.url)
    form = re.search(r'<form class="checklist" data-checklist="(\d+)".*?</form>', page, re.S)
    assert form and form.group(1) == str(full.pk)
    boxes = re.findall(r'<input type="checkbox" id="(doc-[\d-]+)"', form.group(0))
    assert len(boxes) == len(set(boxes)) == 15
    for box in boxes:
        assert f'<label for="{box}">' in form.group(0)
    text = text_of(form.group(0))
    assert "Bản chính: 1 · Bản sao: 2" in text and "Bản chính: 2" in text
    assert "Trường hợp 3" in text
    assert re.search(r"\(PDF, [\d.,]+\s(KB|byte)", text)
    assert "BV-01 (chưa có tệp)" in text
    assert '<button type="reset"' in form.group(0)
    assert re.search(r"<button[^>]*data-print hidden>", form.group(0))
    assert f'href="/bieu-mau/thu-tuc/{full.pk}/tat-ca.zip"' in page


def test_the_channels_table_scrolls_inside_a_labelled_focusable_region(client, full):
    page = get_html(client, full.url)
    region = re.search(r'<div class="table-scroll"([^>]*)>\s*<table', page)
    assert region
    assert 'role="region"' in region.group(1) and 'tabindex="0"' in region.group(1)
    assert 'aria-labelledby="channels-caption"' in region.group(1)
    assert '<caption id="channels-caption">Thời hạn và phí theo cách nộp</caption>' in page


# --- going online -------------------------------------------------------------------------------


def start_section(page: str) -> str:
    found = re.search(r'<section class="start".*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_level_2_has_no_start_section(client, agency):
    page = get_html(client, ProcedureFactory(agency=agency, level=2, submission_url=PORTAL).url)
    assert start_section(page) == ""


def test_level_3_prepares_above_a_start_button_marked_as_leaving(client, full):
    ProcedurePage.objects.filter(pk=full.pk).update(level=3, online_payment=False)
    section = start_section(get_html(client, full.url))
    prepare = section.index('class="prepare"')
    button = re.search(r'<a class="button-start" href="([^"]+)" rel="noopener external">', section)
    assert button and button.group(1) == PORTAL and prepare < button.start()
    text = text_of(section)
    assert (
        "15 giấy tờ" in text and "Phí, lệ phí: 75.000 đồng" in text and "Thời hạn: 15 ngày" in text
    )
    assert 'href="#ho-so"' in section
    assert "Nộp hồ sơ xin phép (mở trang ngoài cổng)" in text
    assert "Bạn sẽ tiếp tục trên Cổng Dịch vụ công tỉnh Lâm Đồng." in text
    assert "thanh toán phí, lệ phí trực tuyến" not in text
    assert section.index("button-start") < section.index('id="cach-nop-khac"')
    assert "Nộp trực tiếp hoặc qua bưu chính công ích." in text


def test_level_4_says_the_fee_can_be_paid_online(client, agency):
    section = start_section(
        get_html(client, ProcedureFactory(agency=agency, level=4, submission_url=PORTAL).url)
    )
    assert "Có thể thanh toán phí, lệ phí trực tuyến." in text_of(section)
    assert "Bắt đầu nộp hồ sơ" in text_of(section)


def test_downtime_leaves_no_live_link_and_points_to_the_other_ways(client, agency):
    procedure = ProcedureFactory(
        agency=agency,
        level=3,
        submission_url=PORTAL,
        downtime_notice="Hệ thống bảo trì đến 17 giờ.",
    )
    page = get_html(client, procedure.url)
    section = start_section(page)
    assert f'href="{PORTAL}"' not in page
    assert 'class="button-start"' not in section
    assert "Tạm ngừng nộp trực tuyến" in text_of(section)
    assert 'role="alert">Hệ thống bảo trì đến 17 giờ.' in section
    assert 'href="#cach-nop-khac"' in section and 'id="cach-nop-khac"' in section


def test_a_url_that_is_not_https_is_never_a_link(client, full):
    live = ProcedurePage.objects.get(pk=full.pk)
    live.legal_basis = [("legal_document", {"number": "1/2024/NĐ-CP", "url": "http://vanban.vn/1"})]
    live.save(update_fields=["legal_basis"])
    # Validation refuses it; an old row or a direct write may still hold one.
    plain = "http://dichvucong.lamdong.gov.vn/gpxd"
    ProcedurePage.objects.filter(pk=full.pk).update(submission_url=plain)
    page = get_html(client, full.url)
    assert 'href="http://vanban.vn/1"' not in page and plain not in page
    assert "1/2024/NĐ-CP" in text_of(page)
    assert start_section(page) == ""


def test_legal_links_out_are_marked_as_leaving_the_site(client, full):
    page = get_html(client, full.url)
    link = re.search(
        r'<a href="https://vanban.chinhphu.vn/1" rel="noopener external">(.*?)</a>', page
    )
    assert link and "(mở trang ngoài cổng)" in text_of(link.group(1))


# --- abolished --------------------------------------------------------------------------------


def test_an_abolished_procedure_says_so_first_and_offers_no_start(client, agency):
    successor = ProcedureFactory(agency=agency, title="Thủ tục mới")
    procedure = ProcedureFactory(
        agency=agency,
        level=3,
        submission_url=PORTAL,
        status=Status.ABOLISHED,
        abolished_on=datetime.date(2024, 7, 1),
        abolishing_decision="12/QĐ-UBND",
        successor=successor,
    )
    page = get_html(client, procedure.url)
    article = page[page.index('<article class="procedure">') :]
    assert article.index("banner-abolished") < article.index("<h1")
    assert "12/QĐ-UBND" in text_of(article[: article.index("<h1")])
    assert f'href="{successor.url}"' in article[: article.index("<h1")]
    assert start_section(page) == ""


# --- English fallback ----------------------------------------------------------------------


def main_of(html: str) -> str:
    """The page's content, without the shell (whose language links name their own languages)."""
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_english_marks_vietnamese_content_and_says_so_once(client, full):
    vietnamese = get_html(client, full.url)
    page = english(client, full)
    note = "Some parts of this page are only available in Vietnamese."
    assert page.count(note) == 1
    assert "<header><h1>Construction permit</h1></header>" in page  # translated: no mark
    assert '<ol class="steps" lang="vi">' in page
    # Content is marked, the interface around it is not.
    assert '<th scope="row">In person</th><td lang="vi">15 ngày</td>' in page
    assert '<label for="doc-1-1" lang="vi">Đơn đề nghị số 0' in page
    assert '<h3 lang="vi">Trường hợp 1</h3>' in page
    assert '<dd lang="vi">Sở Xây dựng</dd>' in page  # the agency has no English name
    assert re.search(r'<p lang="vi">Tổ chức, cá nhân', page)
    assert "<p>A construction permit</p>" in page
    # Each subject in its own language: one has an English name, the other falls back.
    assert '<p><span lang="vi">Tổ chức</span>; Vietnamese citizens</p>' in page
    assert "Một số phần của trang này chỉ có bằng tiếng Việt." not in vietnamese
    assert ' lang="vi"' not in main_of(vietnamese)


def test_a_fully_translated_page_has_no_note(client, agency):
    field = FieldFactory(code="xd", name="Xây dựng", name_en="Construction")
    procedure = ProcedureFactory(
        agency=agency,
        field=field,
        title="Đăng ký",
        title_en="Registration",
        result="Giấy",
        result_en="A paper",
    )
    AgencyPage.objects.filter(pk=agency.pk).update(
        title_en="Department of Construction", address_en="36 Tran Phu, Da Lat"
    )
    page = english(client, procedure)
    assert "only available in Vietnamese" not in page and ' lang="vi"' not in main_of(page)
    assert "<dd>Department of Construction</dd>" in page and "<dd>Construction</dd>" in page


def test_an_untranslated_title_is_marked_vietnamese(client, empty):
    assert '<header lang="vi"><h1>Thủ tục trống</h1></header>' in english(client, empty)


# --- print ------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix, query", [("", ""), ("/en", "?lang=en")])
def test_the_page_carries_its_qr_code_for_print(client, full, prefix, query):
    page = get_html(client, prefix + full.url)
    image = re.search(r'<figure class="print-qr"><img src="([^"]+)"[^>]* alt="([^"]+)"', page)
    assert image and image.group(1) == f"/thu-tuc/{full.pk}/qr.svg{query}"
    assert image.group(2).strip()


# --- weight and queries -------------------------------------------------------------------------


def test_a_full_procedure_page_stays_light(client, full):
    body = client.get(full.url).content
    assert len(body) <= 100_000, len(body)
    assert len(gzip.compress(body)) <= 30_000


def test_queries_do_not_grow_with_what_the_page_holds(client, agency, full):
    form = FormDocumentFactory()
    small = ProcedureFactory(agency=agency, documents=citing(form), level=3, submission_url=PORTAL)
    counts = []
    for procedure in (small, full):
        client.get(procedure.url)  # warm the caches both pages share (site, locale)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(procedure.url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_start_states_read_in_english(client, agency):
    live = ProcedureFactory(agency=agency, level=4, submission_url=PORTAL)
    down = ProcedureFactory(
        agency=agency,
        level=3,
        submission_url=PORTAL,
        downtime_notice="Bảo trì",
        other_ways="Qua bưu điện",
    )
    live_text = text_of(start_section(english(client, live)))
    assert "You can pay the fees online." in live_text
    assert "(opens a site outside this portal)" in live_text
    down_page = english(client, down)
    assert "Online applications are suspended" in text_of(start_section(down_page))
    assert f'href="{PORTAL}"' not in down_page
    assert '<p lang="vi">Qua bưu điện</p>' in down_page


def test_the_scripts_only_enhance_and_load_deferred(client, full):
    page = get_html(client, full.url)
    for script in ("checklist.js", "offline.js"):
        assert re.search(rf'<script src="/static/js/{script}" defer></script>', page)
