"""procedure_record() and the API's other answers hold to their declaration (the DRF serializers
the OpenAPI schema is generated from): the same keys at every level, every value of its type."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory
from rest_framework import serializers

from catalog.api.forms import CitedFormSerializer
from catalog.api.serializers import ProcedureSerializer
from catalog.models import RoadmapTarget, Status
from catalog.records import procedure_record, public_procedures
from forms_library.models import FormDocument
from search.api import SearchResponseSerializer, SuggestResponseSerializer
from search.backends.database import DatabaseBackend
from search.documents import all_documents

from ..factories import (
    AgencyFactory,
    FormDocumentFactory,
    LifeEventFactory,
    ProcedureFactory,
    SubjectFactory,
    building_field,
    lam_dong_province,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

HOST = "thutuc.lamdong.gov.vn"
PORTAL = "https://dichvucong.lamdong.gov.vn"


def mismatches(declared: serializers.Field, value, path: str = "record") -> list[str]:
    """Where `value` departs from its declaration: a missing or extra key, a wrong type, a null
    or empty string where none is declared, a value outside its choices."""
    if value is None:
        return [] if declared.allow_null else [f"{path}: null"]
    if isinstance(declared, serializers.ListSerializer | serializers.ListField):
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__}, not a list"]
        return [
            e for i, v in enumerate(value) for e in mismatches(declared.child, v, f"{path}[{i}]")
        ]
    if isinstance(declared, serializers.Serializer):
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, not an object"]
        fields = declared.fields
        errors = [f"{path}.{k}: not declared" for k in value.keys() - fields.keys()]
        errors += [
            f"{path}.{k}: missing" for k in fields.keys() - value.keys() if fields[k].required
        ]
        for key in value.keys() & fields.keys():
            errors += mismatches(fields[key], value[key], f"{path}.{key}")
        return errors
    return _leaf_mismatches(declared, value, path)


def _leaf_mismatches(declared: serializers.Field, value, path: str) -> list[str]:
    if isinstance(declared, serializers.BooleanField):
        ok = isinstance(value, bool)
    elif isinstance(declared, serializers.IntegerField):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(declared, serializers.FloatField):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif isinstance(declared, serializers.ChoiceField):
        ok = value in declared.choices
    elif isinstance(declared, serializers.DateTimeField):
        ok = isinstance(value, str) and bool(datetime.datetime.fromisoformat(value))
    elif isinstance(declared, serializers.DateField):
        ok = isinstance(value, str) and bool(datetime.date.fromisoformat(value))
    elif isinstance(declared, serializers.CharField):
        ok = isinstance(value, str) and (declared.allow_blank or value != "")
    else:
        return [f"{path}: {type(declared).__name__} is not checked here"]
    return [] if ok else [f"{path}: {value!r} is not a valid {type(declared).__name__}"]


def empty_values(value, path: str = "record") -> list[str]:
    """Where a record has nothing (null, "", [], {}): none in a record meant to be full, so that
    every nested declaration is met by a real value."""
    if value in (None, "", [], {}):
        return [path]
    if isinstance(value, dict):
        return [e for k, v in value.items() for e in empty_values(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [e for i, v in enumerate(value) for e in empty_values(v, f"{path}[{i}]")]
    return []


def assert_declared(serializer: serializers.Serializer, answer: dict) -> None:
    assert mismatches(serializer, answer) == []
    check = type(serializer)(data=answer)
    assert check.is_valid(), check.errors


def full_form() -> FormDocument:
    form = FormDocumentFactory(
        code="CT01",
        title="Tờ khai đề nghị cấp giấy phép",
        version="2",
        effective_date=datetime.date(2024, 1, 1),
        legal_document="Thông tư 15/2021/TT-BXD",
        is_sample=True,
    )
    form.file = ContentFile(pdf_bytes(("Version 3",)), name="To khai moi.pdf")
    form.version = "3"
    form.save()  # keeps version 2 as an earlier version
    # A preview needs poppler-utils here; its name is enough for the record.
    FormDocument.objects.filter(pk=form.pk).update(preview="form_previews/to-khai.png")
    return FormDocument.objects.get(pk=form.pk)


def full_procedure():
    """A procedure with every field of its record filled in."""
    province = lam_dong_province()
    agency = AgencyFactory(province=province, code="SXD", title="Sở Xây dựng")
    successor = ProcedureFactory(agency=agency, code="1.000900")
    form = full_form()
    page = ProcedureFactory(
        agency=agency,
        code="1.000894",
        title="Cấp giấy phép xây dựng",
        field=building_field(),
        tier_province=True,
        tier_district=True,
        tier_commune=True,
        procedure_type="Thủ tục hành chính",
        level=4,
        submission_url=f"{PORTAL}/gpxd",
        start_button_text="Nộp hồ sơ",
        continues_on="Cổng Dịch vụ công tỉnh",
        other_ways="Nộp tại bộ phận một cửa",
        online_payment=True,
        downtime_notice="Tạm ngừng đến 17 giờ",
        processing_time="15 ngày làm việc",
        fee="20.000 đồng",
        competent_agency="UBND tỉnh",
        authorised_agency="Sở Xây dựng",
        receiving_address="36 Trần Phú, Đà Lạt",
        result="Giấy phép xây dựng",
        requirements="Có quyền sử dụng đất",
        decision="1039/QĐ-UBND",
        keywords="GPXD; giấy phép",
        description="<p>Cấp phép xây dựng nhà ở riêng lẻ.</p>",
        status=Status.ABOLISHED,
        abolished_on=datetime.date(2025, 7, 1),
        abolishing_decision="2000/QĐ-UBND",
        successor=successor,
        is_sample_content=True,
        last_published_at=datetime.datetime(2025, 1, 10, 9, tzinfo=datetime.UTC),
        steps=[("step", {"title": "Nộp hồ sơ", "description": "Nộp tại bộ phận một cửa."})],
        channels=[
            (
                "channel",
                {
                    "channel": "online",
                    "processing_time": "15 ngày",
                    "fee": "10.000 đồng",
                    "description": "Qua Cổng Dịch vụ công",
                },
            )
        ],
        documents=[
            (
                "case",
                {
                    "case": "Nhà ở riêng lẻ",
                    "documents": [
                        {
                            "name": "Tờ khai",
                            "originals": 1,
                            "copies": 2,
                            "form": form,
                            "form_code": "CT01",
                        }
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
    page.co_agencies.add(AgencyFactory(province=province, code="STNMT", title="Sở Tài nguyên"))
    page.subjects.add(SubjectFactory(name="Công dân Việt Nam"))
    page.life_events.add(LifeEventFactory(code="xay-nha", name="Xây nhà"))
    page.related_procedures.add(successor)
    page.save()
    RoadmapTarget.objects.create(
        procedure=page,
        target_level=4,
        due_year=2025,
        due_date=datetime.date(2025, 12, 31),
        source_decision="100/QĐ-UBND",
    )
    return public_procedures(include_drafts=True).get(pk=page.pk)


def empty_procedure():
    """A procedure with nothing but what every procedure has."""
    page = ProcedureFactory(code="2.000001", title="Thủ tục trống", field=None, level=1)
    return public_procedures(include_drafts=True).get(pk=page.pk)


def api_request():
    return RequestFactory().get("/api/v1/procedures/", HTTP_HOST=HOST)


def test_a_full_record_has_every_declared_field_filled_and_valid():
    record = procedure_record(full_procedure(), request=api_request())
    assert empty_values(record) == []
    assert_declared(ProcedureSerializer(), record)


def test_an_empty_record_holds_to_the_declaration():
    record = procedure_record(empty_procedure(), request=api_request())
    assert_declared(ProcedureSerializer(), record)
    assert record["field"] is None and record["steps"] == [] and record["submission_url"] is None


def test_a_record_with_a_key_the_declaration_lacks_is_caught():
    record = procedure_record(empty_procedure(), request=api_request())
    assert mismatches(ProcedureSerializer(), {**record, "extra": 1}) == [
        "record.extra: not declared"
    ]
    del record["tiers"]
    record["level"] = "4"
    assert sorted(mismatches(ProcedureSerializer(), record)) == [
        "record.level: '4' is not a valid IntegerField",
        "record.tiers: missing",
    ]


def test_the_feed_answers_are_the_declared_records(client):
    full, empty = full_procedure(), empty_procedure()
    listed = client.get("/api/v1/procedures/", {"status": "all"}, HTTP_HOST=HOST).json()
    assert {r["code"] for r in listed["results"]} == {full.code, empty.code, "1.000900"}
    for record in listed["results"]:
        assert_declared(ProcedureSerializer(), record)
    detail = client.get(f"/api/v1/procedures/{full.code}/", HTTP_HOST=HOST).json()
    assert detail == next(r for r in listed["results"] if r["code"] == full.code)


def test_the_forms_answers_are_declared(client):
    full_procedure()
    FormDocumentFactory(code="", title="Mẫu không số hiệu")
    listed = client.get("/api/v1/forms/", HTTP_HOST=HOST).json()
    cited = next(f for f in listed["results"] if f["code"] == "CT01")
    assert empty_values(cited) == []
    for form in listed["results"]:
        assert_declared(CitedFormSerializer(), form)


def test_the_search_and_suggest_answers_are_declared(client, database_search):
    full_procedure()
    DatabaseBackend().rebuild(all_documents())
    found = client.get("/api/v1/search/", {"q": "giay phep", "status": "all"}).json()
    assert found["count"] >= 1 and set(found["facets"]) == {"agency", "field", "tier", "level"}
    assert_declared(SearchResponseSerializer(), found)
    nothing = client.get("/api/v1/search/", {"q": "qwxz zzvk"}).json()  # no catalogue word
    assert nothing["count"] == 0
    assert_declared(SearchResponseSerializer(), nothing)
    assert_declared(SearchResponseSerializer(), client.get("/api/v1/search/").json())
    suggested = client.get("/api/v1/suggest/", {"q": "thu tuc so"}).json()  # the successor
    assert suggested["results"]
    assert_declared(SuggestResponseSerializer(), suggested)
