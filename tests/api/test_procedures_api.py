"""The feed API's procedures endpoints (/api/v1/procedures/), as CONTRACT.md describes them.

One small catalogue is built for the module (`catalog`); each test runs in its own savepoint.
"""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.utils.http import http_date, parse_http_date
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from wagtail.models import Site

from catalog.models import ProcedurePage, Status
from cms.api import CatalogPagination
from forms_library.models import FormDocument

from ..factories import (
    AgencyFactory,
    FieldFactory,
    LifeEventFactory,
    ProcedureFactory,
    SubjectFactory,
    cao_bang_province,
    civil_field,
    lam_dong_province,
    pdf_bytes,
)

LIST = "/api/v1/procedures/"
FORM_BYTES = pdf_bytes(("To khai mau CT01 (test)",))
RECORD_KEYS = {
    "code",
    "title",
    "province",
    "url",
    "agency",
    "co_agencies",
    "field",
    "tiers",
    "level",
    "level_label",
    "submission_url",
    "online_payment",
    "processing_time",
    "fee",
    "subjects",
    "steps",
    "channels",
    "documents",
    "forms",
    "result",
    "legal_basis",
    "requirements",
    "decision",
    "status",
    "keywords",
    "last_published_at",
}

pytestmark = pytest.mark.django_db


def at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def catalog(module_transaction) -> dict:
    """Two provinces; five active published procedures, one abolished, one draft."""
    ld = lam_dong_province()
    cb = cao_bang_province(allowed_submission_domains="dichvucong.caobang.gov.vn")
    ld_stttt = AgencyFactory(province=ld, code="STTTT", title="Sở Thông tin và Truyền thông")
    ld_district = AgencyFactory(
        province=ld, code="UBND-DL", title="UBND thành phố Đà Lạt", tier="district"
    )
    cb_stttt = AgencyFactory(province=cb, code="STTTT", title="Sở TT&TT Cao Bằng")
    cb_syt = AgencyFactory(province=cb, code="SYT", title="Sở Y tế Cao Bằng")
    land = FieldFactory(code="dat-dai", name="Đất đai")
    civil = civil_field()
    birth = LifeEventFactory(code="sinh-con", name="Sinh con")
    marriage = LifeEventFactory(code="ket-hon", name="Kết hôn")
    citizen = SubjectFactory(code="cong-dan", name="Công dân Việt Nam")
    form = FormDocument.objects.create(
        title="Tờ khai CT01", code="CT01", file=ContentFile(FORM_BYTES, name="ct01.pdf")
    )

    permit = ProcedureFactory(
        agency=ld_stttt,
        code="1.000894",
        title="Cấp giấy phép xây dựng",
        title_en="Construction permit",
        slug="cap-giay-phep-xay-dung",
        field=land,
        tier_province=True,
        level=3,
        submission_url="https://dichvucong.lamdong.gov.vn/gpxd",
        online_payment=True,
        processing_time="15 ngày làm việc",
        fee="Không thu phí",
        result="Giấy phép xây dựng",
        result_en="A construction permit",
        requirements="Có quyền sử dụng đất",
        decision="1039/QĐ-UBND",
        keywords="GPXD; giấy phép",
        steps=[("step", {"title": "Nộp hồ sơ", "description": "Nộp tại bộ phận một cửa."})],
        channels=[
            (
                "channel",
                {"channel": "online", "processing_time": "15 ngày", "fee": "", "description": ""},
            )
        ],
        documents=[
            (
                "case",
                {
                    "case": "",
                    "documents": [
                        {
                            "name": "Tờ khai",
                            "originals": 1,
                            "copies": 0,
                            "form": form,
                            "form_code": "CT01",
                        },
                        {
                            "name": "Bản vẽ thiết kế",
                            "originals": 0,
                            "copies": 2,
                            "form": None,
                            "form_code": "TK-02",
                        },
                    ],
                },
            )
        ],
        legal_basis=[
            (
                "legal_document",
                {
                    "number": "15/2021/NĐ-CP",
                    "summary": "Quản lý dự án đầu tư xây dựng",
                    "date": datetime.date(2021, 3, 3),
                    "issuer": "Chính phủ",
                    "url": "",
                },
            )
        ],
        last_published_at=at(2024, 1, 10),
    )
    birth_reg = ProcedureFactory(
        agency=ld_district,
        code="2.000001",
        title="Đăng ký khai sinh",
        field=civil,
        tier_province=False,
        tier_district=True,
        tier_commune=True,
        level=2,
        last_published_at=at(2025, 3, 1),
    )
    marriage_reg = ProcedureFactory(
        agency=ld_district,
        code="2.000002",
        title="Đăng ký kết hôn",
        field=civil,
        tier_province=False,
        tier_commune=True,
        level=4,
        submission_url="https://dvc.dichvucong.lamdong.gov.vn/kh",
        last_published_at=at(2025, 6, 1),
    )
    abolished = ProcedureFactory(
        agency=ld_stttt,
        code="3.000001",
        title="Cấp phép hoạt động in cũ",
        field=land,
        level=1,
        status=Status.ABOLISHED,
        abolished_on=datetime.date(2023, 5, 1),
        last_published_at=at(2023, 5, 1),
    )
    draft = ProcedureFactory(
        agency=ld_stttt, code="9.000001", title="Thủ tục nháp chưa đăng", field=land, live=False
    )
    cb_permit = ProcedureFactory(
        agency=cb_stttt,
        code="1.000894",
        title="Cấp giấy phép xây dựng tại Cao Bằng",
        field=land,
        level=1,
        last_published_at=at(2024, 2, 1),
    )
    cb_print = ProcedureFactory(
        agency=cb_syt,
        code="CB.002",
        title="Cấp phép hoạt động ngành in",
        field=civil,
        level=2,
        last_published_at=at(2024, 11, 20),
    )
    permit.life_events.add(birth)
    permit.subjects.add(citizen)
    permit.co_agencies.add(ld_district)
    permit.save()
    birth_reg.life_events.add(birth, marriage)
    birth_reg.save()
    return {
        "ld": ld,
        "cb": cb,
        "ld_stttt": ld_stttt,
        "form": form,
        "permit": permit,
        "birth": birth_reg,
        "marriage": marriage_reg,
        "abolished": abolished,
        "draft": draft,
        "cb_permit": cb_permit,
        "cb_print": cb_print,
    }


ACTIVE = [
    ("cao-bang", "1.000894"),
    ("cao-bang", "CB.002"),
    ("lam-dong", "1.000894"),
    ("lam-dong", "2.000001"),
    ("lam-dong", "2.000002"),
]


def listed(client, **params) -> list[tuple[str, str]]:
    response = client.get(LIST, params)
    assert response.status_code == 200, response.content
    return [(r["province"]["code"], r["code"]) for r in response.json()["results"]]


def codes(client, **params) -> list[str]:
    return [code for _, code in listed(client, **params)]


# --- list, pagination, status ------------------------------------------------------------------


def test_list_shape_and_order(client, catalog):
    body = client.get(LIST).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5
    assert body["next"] is None and body["previous"] is None
    assert [(r["province"]["code"], r["code"]) for r in body["results"]] == ACTIVE


def test_page_size_and_page_links(client, catalog):
    first = client.get(LIST, {"page_size": 2}).json()
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/procedures/?")
    assert "page=2" in first["next"] and "page_size=2" in first["next"]

    second = client.get(first["next"]).json()
    assert [r["code"] for r in second["results"]] == ["1.000894", "2.000001"]
    assert second["previous"] and second["next"]

    last = client.get(LIST, {"page_size": 2, "page": 3}).json()
    assert [r["code"] for r in last["results"]] == ["2.000002"]
    assert last["next"] is None


def test_a_page_past_the_end_is_404(client, catalog):
    assert client.get(LIST, {"page_size": 2, "page": 4}).status_code == 404


def test_a_large_page_size_is_accepted(client, catalog):
    body = client.get(LIST, {"page_size": 100000}).json()
    assert body["count"] == len(body["results"]) == 5


@pytest.mark.parametrize(
    "asked, used", [(1, 1), (499, 499), (500, 500), (501, 500), (100000, 500), ("x", 50), (0, 50)]
)
def test_page_size_is_clamped_at_500(asked, used):
    """Clamping is checked on the API's paginator: 501 published pages would cost seconds."""
    request = Request(APIRequestFactory().get(LIST, {"page_size": asked}))
    assert CatalogPagination().get_page_size(request) == used


def test_the_api_uses_the_clamping_paginator():
    from catalog.api.views import ProcedureViewSet

    assert issubclass(ProcedureViewSet.pagination_class, CatalogPagination)


def test_abolished_procedures_are_hidden_by_default(client, catalog):
    assert "3.000001" not in codes(client)
    assert codes(client) == codes(client, status="active")


def test_status_abolished_and_all(client, catalog):
    assert codes(client, status="abolished") == ["3.000001"]
    assert len(codes(client, status="all")) == 6
    assert "3.000001" in codes(client, status="all")


def test_drafts_are_never_listed(client, catalog):
    assert "9.000001" not in codes(client, status="all")
    assert client.get(f"{LIST}9.000001/").status_code == 404


def test_unpublished_procedures_leave_the_list(client, catalog):
    ProcedurePage.objects.get(pk=catalog["cb_print"].pk).unpublish()
    assert listed(client, province="cao-bang") == [("cao-bang", "1.000894")]


# --- filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"province": "lam-dong"}, ACTIVE[2:]),
        ({"province": "cao-bang"}, ACTIVE[:2]),
        ({"province": "ha-noi"}, []),
        ({"agency": "STTTT"}, [ACTIVE[0], ACTIVE[2]]),
        ({"agency": "STTTT", "province": "lam-dong"}, [ACTIVE[2]]),
        ({"agency": "UBND-DL"}, ACTIVE[3:]),
        ({"agency": "KHONG-CO"}, []),
        ({"field": "ho-tich"}, [ACTIVE[1], ACTIVE[3], ACTIVE[4]]),
        ({"field": "dat-dai"}, [ACTIVE[0], ACTIVE[2]]),
        ({"tier": "province"}, [ACTIVE[0], ACTIVE[1], ACTIVE[2]]),
        ({"tier": "district"}, [ACTIVE[3]]),
        ({"tier": "commune"}, ACTIVE[3:]),
        ({"level": "1"}, [ACTIVE[0]]),
        ({"level": "2"}, [ACTIVE[1], ACTIVE[3]]),
        ({"level": "4"}, [ACTIVE[4]]),
        ({"min_level": "3"}, [ACTIVE[2], ACTIVE[4]]),
        ({"min_level": "2"}, ACTIVE[1:]),
        ({"min_level": "1"}, ACTIVE),
        ({"life_event": "sinh-con"}, [ACTIVE[2], ACTIVE[3]]),
        ({"life_event": "ket-hon"}, [ACTIVE[3]]),
        ({"updated_since": "2025-01-01T00:00:00Z"}, ACTIVE[3:]),
        ({"updated_since": "2025-06-01T09:00:00+00:00"}, [ACTIVE[4]]),
        ({"updated_since": "2025-06-01T09:00:01+00:00"}, []),
        ({"updated_since": "2024-11-20T15:00:00+07:00"}, [ACTIVE[1], *ACTIVE[3:]]),
        ({"updated_since": "2024-11-19T11:55:00-20:05"}, [ACTIVE[1], *ACTIVE[3:]]),
        ({"q": "giấy phép"}, [ACTIVE[0], ACTIVE[2]]),
        ({"q": "xây dựng tại Cao"}, [ACTIVE[0]]),
        ({"q": "1.000894"}, [ACTIVE[0], ACTIVE[2]]),
        ({"q": "cb.002"}, [ACTIVE[1]]),
        ({"q": " CB.002 "}, [ACTIVE[1]]),
        ({"q": "1.0008"}, []),
        ({"q": "không có thủ tục này"}, []),
        ({"q": "khai sinh", "min_level": "3"}, []),
        ({"province": "lam-dong", "tier": "commune", "level": "4"}, [ACTIVE[4]]),
    ],
)
def test_filters(client, catalog, params, expected):
    assert listed(client, **params) == expected


def test_filters_combine_with_status(client, catalog):
    assert codes(client, status="abolished", province="lam-dong", level="1") == ["3.000001"]
    assert codes(client, status="abolished", province="cao-bang") == []


def test_a_procedure_with_two_matching_life_events_is_listed_once(client, catalog):
    body = client.get(LIST, {"life_event": "sinh-con", "province": "lam-dong"}).json()
    assert body["count"] == 2
    assert [r["code"] for r in body["results"]] == ["1.000894", "2.000001"]


def test_q_ignores_the_case_of_vietnamese_letters(client, catalog):
    assert codes(client, q="đăng ký") == ["2.000001", "2.000002"]
    assert codes(client, q="ĐĂNG KÝ KẾT HÔN") == ["2.000002"]


def test_q_matches_the_end_of_a_long_title(client, catalog):
    long_title = "Cấp giấy phép công diễn " + "chương trình nghệ thuật, " * 12 + "thuộc địa phương"
    page = ProcedureFactory(
        agency=catalog["ld_stttt"],
        code="LC.074",
        title=long_title[:250] + "…",
        full_title=long_title,
    )
    assert page.full_title.endswith("thuộc địa phương")
    assert codes(client, q="thuộc địa phương") == ["LC.074"]


@pytest.mark.parametrize(
    "params",
    [
        {"level": "9"},
        {"level": "0"},
        {"level": "abc"},
        {"min_level": "5"},
        {"tier": "foo"},
        {"tier": "tỉnh"},
        {"status": "bad"},
        {"updated_since": "hôm qua"},
        {"updated_since": "2025-13-45"},
        {"updated_since": "9999-12-31T23:00:00-21:00"},
    ],
)
def test_invalid_filter_values_answer_400(client, catalog, params):
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)  # names the offending parameter


# --- the record --------------------------------------------------------------------------------


def permit_record(client) -> dict:
    response = client.get(f"{LIST}1.000894/", {"province": "lam-dong"})
    assert response.status_code == 200
    return response.json()


def test_records_carry_every_contract_key(client, catalog):
    for record in client.get(LIST, {"status": "all"}).json()["results"]:
        assert set(record) >= RECORD_KEYS, RECORD_KEYS - set(record)


def test_record_values(client, catalog):
    record = permit_record(client)
    permit = catalog["permit"]
    assert record["code"] == "1.000894"
    assert record["title"] == "Cấp giấy phép xây dựng"
    assert record["province"] == {"code": "lam-dong", "name": "Lâm Đồng"}
    assert record["url"] == "http://testserver" + permit.url
    assert record["url"].startswith("http://testserver/lam-dong/")
    assert record["agency"] == {"code": "STTTT", "name": "Sở Thông tin và Truyền thông"}
    assert record["co_agencies"] == [{"code": "UBND-DL", "name": "UBND thành phố Đà Lạt"}]
    assert record["field"] == {"code": "dat-dai", "name": "Đất đai"}
    assert record["tiers"] == ["province"]
    assert record["level"] == 3
    assert "Mức độ 3" in record["level_label"] and "một phần" in record["level_label"]
    assert record["submission_url"] == "https://dichvucong.lamdong.gov.vn/gpxd"
    assert record["online_payment"] is True
    assert record["processing_time"] == "15 ngày làm việc"
    assert record["fee"] == "Không thu phí"
    assert record["subjects"] == ["Công dân Việt Nam"]
    assert record["result"] == "Giấy phép xây dựng"
    assert record["requirements"] == "Có quyền sử dụng đất"
    assert record["decision"] == "1039/QĐ-UBND"
    assert record["status"] == "active"
    assert record["keywords"] == ["GPXD", "giấy phép"]
    published = datetime.datetime.fromisoformat(record["last_published_at"])
    assert published == at(2024, 1, 10)


def test_record_structured_parts(client, catalog):
    record = permit_record(client)
    assert record["steps"] == [
        {"number": 1, "title": "Nộp hồ sơ", "description": "Nộp tại bộ phận một cửa."}
    ]
    assert [c["channel"] for c in record["channels"]] == ["online"]
    assert record["channels"][0]["processing_time"] == "15 ngày"
    assert record["legal_basis"] == [
        {
            "number": "15/2021/NĐ-CP",
            "summary": "Quản lý dự án đầu tư xây dựng",
            "date": "2021-03-03",
            "issuer": "Chính phủ",
            "url": None,
        }
    ]


def test_record_documents_and_forms(client, catalog):
    record = permit_record(client)
    [case] = record["documents"]
    with_form, without_form = case["documents"]
    assert with_form["name"] == "Tờ khai" and with_form["form_code"] == "CT01"
    assert without_form["form"] is None and without_form["form_code"] == "TK-02"
    form = with_form["form"]
    assert form["code"] == "CT01"
    assert form["title"] == "Tờ khai CT01"
    assert form["file_url"].startswith("http://testserver/")
    assert form["format"] == "pdf"
    assert form["size_bytes"] == len(FORM_BYTES)
    assert set(form) >= {"code", "title", "file_url", "format", "size_bytes", "sha256"}
    assert record["forms"] == [form]


def test_the_form_file_downloads_from_its_url(client, catalog):
    form = permit_record(client)["forms"][0]
    response = client.get(form["file_url"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == FORM_BYTES


def test_form_sha256_is_the_sha256_of_the_file(client, catalog):
    form = permit_record(client)["forms"][0]
    assert form["sha256"] == hashlib.sha256(FORM_BYTES).hexdigest()


def test_a_procedure_without_online_service_has_no_submission_url(client, catalog):
    record = client.get(f"{LIST}2.000001/").json()
    assert record["submission_url"] is None
    assert record["tiers"] == ["district", "commune"]
    assert record["forms"] == [] and record["documents"] == []
    assert "Thông tin trực tuyến" in record["level_label"]


# --- detail ------------------------------------------------------------------------------------


def test_detail_by_code(client, catalog):
    response = client.get(f"{LIST}2.000002/")
    assert response.status_code == 200
    record = response.json()
    assert (record["code"], record["title"]) == ("2.000002", "Đăng ký kết hôn")
    assert record == next(r for r in client.get(LIST).json()["results"] if r["code"] == "2.000002")


def test_detail_of_a_code_used_in_two_provinces_is_300_with_the_provinces(client, catalog):
    response = client.get(f"{LIST}1.000894/")
    assert response.status_code == 300
    body = response.json()
    assert sorted(body["provinces"]) == ["cao-bang", "lam-dong"]
    assert "province" in body["detail"]


@pytest.mark.parametrize("province, title", [("lam-dong", "Cấp giấy phép xây dựng")])
def test_province_disambiguates_the_detail(client, catalog, province, title):
    record = client.get(f"{LIST}1.000894/", {"province": province}).json()
    assert (record["province"]["code"], record["title"]) == (province, title)
    other = client.get(f"{LIST}1.000894/", {"province": "cao-bang"}).json()
    assert other["province"]["code"] == "cao-bang"


def test_unknown_code_or_province_is_404(client, catalog):
    assert client.get(f"{LIST}0.000000/").status_code == 404
    assert client.get(f"{LIST}1.000894/", {"province": "ha-noi"}).status_code == 404
    assert client.get(f"{LIST}CB.002/", {"province": "lam-dong"}).status_code == 404


def test_abolished_procedures_keep_their_detail_record(client, catalog):
    record = client.get(f"{LIST}3.000001/").json()
    assert record["status"] == "abolished"
    assert record["abolished_on"] == "2023-05-01"


def test_a_province_portal_lists_only_its_province(client, catalog):
    site = Site.objects.create(hostname="dvc.caobang.example", port=80, root_page=catalog["cb"])
    try:
        response = client.get(LIST, HTTP_HOST="dvc.caobang.example")
        assert [r["code"] for r in response.json()["results"]] == ["1.000894", "CB.002"]
        assert client.get(f"{LIST}1.000894/", HTTP_HOST="dvc.caobang.example").status_code == 200
        assert client.get(f"{LIST}2.000001/", HTTP_HOST="dvc.caobang.example").status_code == 404
    finally:
        site.delete()  # also clears Wagtail's cached site list


# --- language ----------------------------------------------------------------------------------


def test_vietnamese_is_the_default_language(client, catalog):
    response = client.get(f"{LIST}1.000894/", {"province": "lam-dong"})
    assert response["Content-Language"] == "vi"
    assert response.json()["title"] == "Cấp giấy phép xây dựng"


def test_lang_en_gives_english_values_where_set(client, catalog):
    response = client.get(f"{LIST}1.000894/", {"province": "lam-dong", "lang": "en"})
    assert response["Content-Language"] == "en"
    record = response.json()
    assert record["title"] == "Construction permit"
    assert record["result"] == "A construction permit"
    assert record["level_label"].startswith("Level 3")
    assert "/en/" in record["url"]


def test_lang_en_falls_back_to_vietnamese_where_not_set(client, catalog):
    record = client.get(f"{LIST}2.000001/", {"lang": "en"}).json()
    assert record["title"] == "Đăng ký khai sinh"
    assert record["field"]["name"] == "Hộ tịch"


def test_accept_language_is_honoured(client, catalog):
    english = client.get(f"{LIST}1.000894/?province=lam-dong", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en"
    assert english.json()["title"] == "Construction permit"


def test_lang_wins_over_accept_language(client, catalog):
    vietnamese = client.get(f"{LIST}1.000894/?province=lam-dong&lang=vi", HTTP_ACCEPT_LANGUAGE="en")
    assert vietnamese["Content-Language"] == "vi"
    assert vietnamese.json()["title"] == "Cấp giấy phép xây dựng"
    english = client.get(f"{LIST}1.000894/?province=lam-dong&lang=en", HTTP_ACCEPT_LANGUAGE="vi")
    assert english["Content-Language"] == "en"
    assert english.json()["title"] == "Construction permit"


def test_responses_vary_on_accept_language(client, catalog):
    assert "accept-language" in client.get(LIST)["Vary"].lower()


def test_an_unknown_lang_falls_back_to_vietnamese(client, catalog):
    response = client.get(f"{LIST}1.000894/", {"province": "lam-dong", "lang": "fr"})
    assert response["Content-Language"] == "vi"
    assert response.json()["title"] == "Cấp giấy phép xây dựng"


def test_lang_en_uses_title_en_for_a_long_titled_procedure(client, catalog):
    long_title = "Cấp giấy phép công diễn " + "chương trình nghệ thuật, " * 12 + "địa phương"
    ProcedureFactory(
        agency=catalog["ld_stttt"],
        code="LC.074",
        title=long_title[:250] + "…",
        full_title=long_title,
        title_en="Licence for public performances",
    )
    record = client.get(f"{LIST}LC.074/", {"lang": "en"}).json()
    assert record["title"] == "Licence for public performances"


# --- HTTP: conditional requests, CORS, methods -------------------------------------------------


@pytest.mark.parametrize("path", [LIST, f"{LIST}2.000001/"])
def test_etag_and_if_none_match(client, catalog, path):
    response = client.get(path)
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag
    again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_etag_differs_between_languages(client, catalog):
    path = f"{LIST}1.000894/?province=lam-dong"
    assert client.get(path)["ETag"] != client.get(path + "&lang=en")["ETag"]


def test_last_modified_of_the_list_is_not_older_than_its_latest_publication(client, catalog):
    for province, latest in (("lam-dong", at(2025, 6, 1)), ("cao-bang", at(2024, 11, 20))):
        response = client.get(LIST, {"province": province})
        assert parse_http_date(response["Last-Modified"]) >= int(latest.timestamp())


def test_last_modified_of_a_record_and_if_modified_since(client, catalog):
    response = client.get(f"{LIST}2.000001/")
    assert response["Last-Modified"] == http_date(at(2025, 3, 1).timestamp())
    again = client.get(f"{LIST}2.000001/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304
    older = http_date(at(2025, 2, 1).timestamp())
    assert client.get(f"{LIST}2.000001/", HTTP_IF_MODIFIED_SINCE=older).status_code == 200


def test_a_republished_record_is_modified_since(client, catalog):
    path = f"{LIST}2.000001/"
    first = client.get(path)
    page = ProcedurePage.objects.get(pk=catalog["birth"].pk)
    page.fee = "8.000 đồng"
    page.save_revision().publish()
    second = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second.json()["fee"] == "8.000 đồng"
    assert second["Last-Modified"] != first["Last-Modified"]


def test_an_empty_list_still_sends_last_modified(client, catalog):
    response = client.get(LIST, {"province": "ha-noi"})
    assert response.json()["count"] == 0
    assert response.has_header("Last-Modified")


def test_the_list_is_modified_when_a_procedure_is_unpublished(client, catalog):
    first = client.get(LIST, {"province": "cao-bang"})
    assert first.json()["count"] == 2
    ProcedurePage.objects.get(pk=catalog["cb_permit"].pk).unpublish()
    again = client.get(
        LIST, {"province": "cao-bang"}, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert again.status_code == 200
    assert again.json()["count"] == 1


def test_cors_allows_any_origin_to_get(client, catalog):
    response = client.get(LIST, HTTP_ORIGIN="https://portal.example.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    detail = client.get(f"{LIST}2.000001/", HTTP_ORIGIN="https://sotttt.lamdong.gov.vn")
    assert detail["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight_allows_get_only(client, catalog):
    response = client.options(
        LIST,
        HTTP_ORIGIN="https://portal.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 200
    allowed = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert "GET" in allowed
    assert not allowed & {"POST", "PUT", "PATCH", "DELETE"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused(client, catalog, method):
    path = LIST if method == "post" else f"{LIST}2.000001/"
    response = getattr(client, method)(path, {"code": "X"}, content_type="application/json")
    assert response.status_code == 405
    assert ProcedurePage.objects.filter(code="2.000001", live=True).exists()


# --- documentation -----------------------------------------------------------------------------


def test_openapi_schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "openapi: 3" in text
    assert "/api/v1/procedures/" in text
    assert "/api/v1/procedures/{code}/" in text


def test_api_docs(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert "swagger" in response.content.decode().lower()
