"""?format=jsonld: the records as CPSV-AP 3 JSON-LD, validated against the official SHACL shapes
(catalog/schemas/, copied from SEMICeu/CPSV-AP) with rdflib and pyshacl."""

import datetime
import json
import unicodedata
from pathlib import Path

import pytest
from django.test import RequestFactory
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from catalog.cpsv import CONTEXT, fee_amount, processing_duration, public_service
from catalog.records import procedure_record

from ..factories import (
    AgencyFactory,
    FormDocumentFactory,
    LifeEventFactory,
    ProcedureFactory,
    building_field,
    lam_dong_province,
)

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[2] / "catalog" / "schemas"
SHAPES = SCHEMAS / "cpsv-ap-3.2.0-SHACL.ttl"
OFFICIAL_CONTEXT = SCHEMAS / "cpsv-ap-3.2.0-context.jsonld"
LIST = "/api/v1/procedures/"
HOST = "thutuc.lamdong.gov.vn"
PORTAL = "https://dichvucong.lamdong.gov.vn"
CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
DCT = Namespace("http://purl.org/dc/terms/")
SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def shapes():
    return Graph().parse(SHAPES)


def channel(kind, time="", fee="", description=""):
    value = {"channel": kind, "processing_time": time, "fee": fee, "description": description}
    return ("channel", value)


def permit(**changes):
    """A building permit as the demo catalogue has them: three channels, a fee per channel,
    documents with a form, legal basis, a life event."""
    province = lam_dong_province()
    agency = AgencyFactory(province=province, code="SXD", title="Sở Xây dựng")
    form = FormDocumentFactory(code="Mẫu 01", title="Đơn đề nghị cấp giấy phép xây dựng")
    values = dict(
        agency=agency,
        code="1.000894",
        title="Cấp giấy phép xây dựng",
        field=building_field(),
        level=4,
        submission_url=f"{PORTAL}/gpxd",
        processing_time="15 ngày làm việc",
        fee="",
        receiving_address="Bộ phận một cửa, 36 Trần Phú, Đà Lạt",
        result="Giấy phép xây dựng",
        keywords="GPXD; giấy phép xây dựng",
        description="<p>Cấp phép xây dựng nhà ở riêng lẻ &amp; công trình.</p>",
        channels=[
            channel("in_person", "15 ngày làm việc", "75.000 đồng", "Nộp tại bộ phận một cửa"),
            channel("online", "12 ngày", "50.000 đồng"),
            channel("post", "", "Theo giá cước bưu chính"),
        ],
        documents=[
            (
                "case",
                {
                    "case": "Nhà ở riêng lẻ",
                    "documents": [
                        {"name": "Đơn đề nghị", "originals": 1, "copies": 0, "form": form},
                        {"name": "Bản vẽ thiết kế", "originals": 2, "copies": 0},
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
                    "url": "https://vanban.chinhphu.vn/15-2021",
                },
            )
        ],
    )
    page = ProcedureFactory(**{**values, **changes})
    page.life_events.add(LifeEventFactory(code="xay-nha", name="Xây nhà"))
    page.save_revision().publish()
    return page


def jsonld(client, path, **params):
    response = client.get(path, {"format": "jsonld", **params}, HTTP_HOST=HOST)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/ld+json")
    return response


def graph_of(document: dict) -> Graph:
    return Graph().parse(data=json.dumps(document), format="json-ld")


def violations(document: dict, shapes: Graph) -> str:
    conforms, _graph, report = validate(graph_of(document), shacl_graph=shapes)
    return "" if conforms else report


def test_the_detail_validates_against_the_official_shapes(client, shapes):
    permit()
    document = jsonld(client, f"{LIST}1.000894/").json()
    assert violations(document, shapes) == ""
    graph = graph_of(document)
    service = URIRef(f"https://{HOST}{permit_path(document)}")
    assert (service, RDF.type, CPSV.PublicService) in graph
    assert (service, DCT.identifier, Literal("1.000894")) in graph
    assert (service, DCT.title, Literal("Cấp giấy phép xây dựng", lang="vi")) in graph
    description = "Cấp phép xây dựng nhà ở riêng lẻ & công trình."
    assert (service, DCT.description, Literal(description, lang="vi")) in graph
    assert (service, CV.processingTime, Literal("P15D", datatype=XSD.duration)) in graph


def permit_path(document: dict) -> str:
    return document["@id"].removeprefix(f"https://{HOST}")


def test_every_part_of_the_record_maps(client):
    permit()
    service = jsonld(client, f"{LIST}1.000894/").json()
    agency = service["hasCompetentAuthority"]
    assert agency["@id"] == f"https://{HOST}/id/agency/lam-dong/SXD"
    assert agency["prefLabel"] == {"@value": "Sở Xây dựng", "@language": "vi"}
    assert agency["spatial"]["@id"] == f"https://{HOST}/id/province/lam-dong"
    kinds = {c["@id"].rsplit("#", 1)[1]: c for c in service["hasChannel"]}
    assert set(kinds) == {"channel-in_person", "channel-online", "channel-post"}
    assert kinds["channel-online"]["relatedDocumentation"] == f"{PORTAL}/gpxd"
    assert kinds["channel-online"]["processingTime"] == "P12D"
    address = kinds["channel-in_person"]["address"]["fullAddress"]["@value"]
    assert address == "Bộ phận một cửa, 36 Trần Phú, Đà Lạt"
    costs = {c["ifAccessedThrough"].rsplit("#", 1)[1]: c for c in service["hasCost"]}
    assert costs["channel-in_person"]["hasValue"] == 75000.0
    assert costs["channel-online"]["hasValue"] == 50000.0
    assert "hasValue" not in costs["channel-post"]  # "Theo giá cước bưu chính": no amount
    assert costs["channel-post"]["description"]["@value"] == "Theo giá cước bưu chính"
    inputs = service["hasInput"]
    assert [e["title"]["@value"] for e in inputs] == ["Đơn đề nghị", "Bản vẽ thiết kế"]
    form = inputs[0]["relatedDocumentation"]
    assert form["@type"] == "Document" and form["identifier"] == "Mẫu 01"
    assert "relatedDocumentation" not in inputs[1]
    assert service["produces"]["title"]["@value"] == "Giấy phép xây dựng"
    law = service["hasLegalResource"][0]
    assert law["identifier"] == "15/2021/NĐ-CP"
    assert law["relatedDocumentation"] == "https://vanban.chinhphu.vn/15-2021"
    event = service["isGroupedBy"][0]
    assert event["@type"] == ["Event", "LifeEvent"]
    assert event["@id"] == f"https://{HOST}/su-kien/xay-nha/"


def test_a_list_is_a_graph_of_the_page_with_its_links(client, shapes):
    permit()
    ProcedureFactory(code="1.000895", title="Cấp giấy phép sửa chữa", description="<p>Sửa</p>")
    document = jsonld(client, LIST, page_size=1).json()
    assert document["count"] == 2 and document["previous"] is None
    assert "format=jsonld" in document["next"] and "page=2" in document["next"]
    assert [s["identifier"] for s in document["@graph"]] == ["1.000894"]
    assert violations(document, shapes) == ""
    second = client.get(document["next"], HTTP_HOST=HOST).json()
    assert [s["identifier"] for s in second["@graph"]] == ["1.000895"]
    assert violations(second, shapes) == ""


def test_accept_header_chooses_json_ld_too(client):
    permit()
    response = client.get(LIST, HTTP_HOST=HOST, HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"].startswith("application/ld+json")
    assert "@graph" in response.json()
    assert "accept" in {v.strip().lower() for v in response["Vary"].split(",")}


def test_a_record_without_description_misses_only_what_the_shapes_require(client, shapes):
    """CPSV-AP requires dct:description on a PublicService; a procedure without one has none to
    give, and none is made up: that is the one violation."""
    permit(description="")
    document = jsonld(client, f"{LIST}1.000894/").json()
    conforms, results, _text = validate(graph_of(document), shacl_graph=shapes)
    assert not conforms
    SH = Namespace("http://www.w3.org/ns/shacl#")
    paths = {
        results.value(r, SH.resultPath) for r in results.subjects(RDF.type, SH.ValidationResult)
    }
    assert paths == {DCT.description}


def test_english_strings_are_tagged_en(client, shapes):
    permit(title_en="Construction permit")
    document = jsonld(client, f"{LIST}1.000894/", lang="en").json()
    assert document["title"] == {"@value": "Construction permit", "@language": "en"}
    assert violations(document, shapes) == ""


def test_the_online_channel_never_carries_an_http_url():
    """Pages refuse an http submission URL; a record that had one (an older import) still never
    sends it as the online channel's page."""
    page = permit()
    request = RequestFactory().get(LIST, HTTP_HOST=HOST)
    record = procedure_record(page, request=request)
    for channels in (record["channels"], []):  # the online channel block, or none
        record = {**record, "submission_url": f"http://{HOST}/gpxd", "channels": channels}
        service = public_service(record, "vi")
        assert "http://" not in json.dumps(service.get("hasChannel", []))
        assert service["@id"].startswith("https://")


def test_a_level_3_procedure_without_an_online_channel_block_still_has_one(client):
    permit(channels=[channel("in_person")])
    service = jsonld(client, f"{LIST}1.000894/").json()
    online = next(c for c in service["hasChannel"] if c["@id"].endswith("#channel-online"))
    assert online["relatedDocumentation"] == f"{PORTAL}/gpxd"


def test_strings_are_nfc_and_escaped_as_json(client):
    decomposed = unicodedata.normalize("NFD", 'Cấp "giấy phép" </script>')
    permit(result=decomposed)
    body = jsonld(client, f"{LIST}1.000894/").content.decode()
    title = json.loads(body)["produces"]["title"]["@value"]
    assert title == unicodedata.normalize("NFC", decomposed)
    assert unicodedata.is_normalized("NFC", body)


def test_the_service_iri_is_https_and_the_same_in_both_languages(client):
    permit()
    vi = jsonld(client, f"{LIST}1.000894/").json()
    en = jsonld(client, f"{LIST}1.000894/", lang="en").json()
    assert vi["@id"].startswith(f"https://{HOST}/") and vi["@id"] == en["@id"]
    assert vi["isGroupedBy"][0]["@id"] == en["isGroupedBy"][0]["@id"]


def test_a_list_in_json_ld_answers_304_and_its_etag_is_not_the_json_one(client):
    permit()
    as_json = client.get(LIST, HTTP_HOST=HOST)
    as_jsonld = jsonld(client, LIST)
    assert as_json["ETag"] != as_jsonld["ETag"]
    again = client.get(
        LIST, {"format": "jsonld"}, HTTP_HOST=HOST, HTTP_IF_NONE_MATCH=as_jsonld["ETag"]
    )
    assert again.status_code == 304
    # By Accept alone the query string is the JSON one's; the ETag still differs.
    by_accept = client.get(LIST, HTTP_HOST=HOST, HTTP_ACCEPT="application/ld+json")
    assert by_accept["ETag"] not in (as_json["ETag"], as_jsonld["ETag"])
    stale = client.get(LIST, HTTP_HOST=HOST, HTTP_IF_NONE_MATCH=as_jsonld["ETag"])
    assert stale.status_code == 200


def test_errors_stay_plain_json(client):
    response = client.get(f"{LIST}9.999999/", {"format": "jsonld"}, HTTP_HOST=HOST)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_every_term_names_an_iri_of_the_official_context():
    official = json.loads(OFFICIAL_CONTEXT.read_text(encoding="utf-8"))["@context"]
    official_iris = {v["@id"] if isinstance(v, dict) else v for v in official.values()}
    prefixes = {k: v for k, v in CONTEXT.items() if isinstance(v, str) and v.endswith(("#", "/"))}

    def expand(term: str) -> str:
        prefix, _, local = term.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else term

    for term, value in CONTEXT.items():
        if term in prefixes:
            continue
        iri = expand(value["@id"] if isinstance(value, dict) else value)
        assert iri in official_iris, term


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("15 ngày làm việc", "P15D"),
        ("15 ngày", "P15D"),
        ("03 ngày làm việc", "P3D"),
        ("Trong thời hạn 20 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", "P20D"),
        ("Không quá 5 ngày làm việc.", "P5D"),
        ("4 giờ", "PT4H"),
        ("8 giờ làm việc", "PT8H"),
        ("30 phút", "PT30M"),
        ("2 tháng", "P2M"),
        ("1 năm", "P1Y"),
        ("2 tuần", "P14D"),
        ("Trong ngày", "P1D"),
        ("Ngay trong ngày làm việc", "P1D"),
        (unicodedata.normalize("NFD", "15 ngày làm việc"), "P15D"),
        ("", None),
        ("Giải quyết ngay", None),
        ("03 đến 05 ngày làm việc", None),
        ("15 ngày (trường hợp phức tạp: 30 ngày)", None),
        ("0,5 ngày", None),
        ("0 ngày", None),
        ("Theo quy định", None),
        ("15", None),
    ],
)
def test_processing_time_parses_only_what_it_says(text, duration):
    assert processing_duration(text) == duration


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("20.000 đồng", 20000.0),
        ("20.000đ/hồ sơ", 20000.0),
        ("1.500.000 VNĐ", 1500000.0),
        ("Miễn phí", 0.0),
        ("Không", 0.0),
        ("50.000 đồng/lần; 100.000 đồng nếu nộp muộn", None),
        ("Theo giá cước bưu chính", None),
        ("", None),
    ],
)
def test_a_fee_has_a_value_only_when_it_is_a_plain_amount(text, amount):
    assert fee_amount(text) == amount
