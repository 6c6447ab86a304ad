"""schema.org GovernmentService JSON-LD on the procedure page, built from the public record."""

import json
import re

import pytest

from catalog.jsonld import government_service, script_json
from catalog.records import procedure_record

from ..factories import ProcedureFactory, SubjectFactory

PORTAL = "https://dichvucong.lamdong.gov.vn/dvc/gpxd"


def jsonld_of(page_html: str) -> dict:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page_html, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


@pytest.fixture
def procedure(agency, building):
    page = ProcedureFactory(
        agency=agency,
        code="1.000894",
        title="Cấp giấy phép xây dựng",
        title_en="Construction permit",
        field=building,
        level=4,
        submission_url=PORTAL,
        receiving_address="36 Trần Phú, Đà Lạt",
        channels=[
            ("channel", {"channel": "in_person", "processing_time": "15 ngày", "fee": ""}),
            ("channel", {"channel": "online", "processing_time": "10 ngày", "fee": ""}),
        ],
        legal_basis=[("legal_document", {"number": "15/2021/NĐ-CP", "summary": "Quản lý dự án"})],
    )
    page.subjects.set([SubjectFactory(name="Công dân Việt Nam")])
    page.save_revision().publish()
    return page


def test_the_page_carries_a_government_service(client, procedure):
    data = jsonld_of(client.get(procedure.url).content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "GovernmentService"
    assert data["name"] == "Cấp giấy phép xây dựng" and data["identifier"] == "1.000894"
    assert data["serviceType"] == "Xây dựng"
    assert data["provider"] == {
        "@type": "GovernmentOrganization",
        "name": "Sở Thông tin và Truyền thông",
    }
    assert data["areaServed"] == {"@type": "AdministrativeArea", "name": "Lâm Đồng"}
    assert data["audience"] == [{"@type": "Audience", "audienceType": "Công dân Việt Nam"}]
    assert data["url"] == "http://testserver" + procedure.url
    online, in_person = data["availableChannel"][1], data["availableChannel"][0]
    assert online["serviceUrl"] == PORTAL and online["processingTime"] == "10 ngày"
    assert in_person["serviceLocation"]["address"] == "36 Trần Phú, Đà Lạt"
    assert "serviceUrl" not in in_person
    assert data["termsOfService"] == "15/2021/NĐ-CP – Quản lý dự án"
    assert data["dateModified"].startswith(procedure.last_published_at.date().isoformat())


def test_english_page_describes_the_service_in_english(client, procedure):
    url = procedure.url
    data = jsonld_of(client.get("/en" + url).content.decode())
    assert data["name"] == "Construction permit"
    assert data["url"] == "http://testserver/en" + url


def test_an_online_url_without_a_channel_row_still_gets_a_channel(agency):
    page = ProcedureFactory(agency=agency, level=3, submission_url=PORTAL)
    data = government_service(procedure_record(page))
    assert data["availableChannel"] == [{"@type": "ServiceChannel", "serviceUrl": PORTAL}]


def test_a_level_2_procedure_offers_no_online_service_url(agency):
    page = ProcedureFactory(agency=agency, level=2, submission_url=PORTAL)
    assert "availableChannel" not in government_service(procedure_record(page))


def test_empty_facts_are_left_out(agency):
    page = ProcedureFactory(agency=agency, field=None)
    data = government_service(procedure_record(page))
    assert not {"serviceType", "audience", "availableChannel", "termsOfService"} & set(data)


def test_a_title_cannot_close_the_script(client, agency):
    title = 'Đăng ký </script><script>alert(1)</script> & <!-- "x"'
    page = ProcedureFactory(agency=agency, title=title)
    body = client.get(page.url).content.decode()
    assert "<script>alert(1)" not in body
    assert jsonld_of(body)["name"] == title


def test_script_json_escapes_what_could_end_the_element():
    text = script_json({"name": "</script><!--&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><!--&"}
