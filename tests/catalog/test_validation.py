"""Validation rules of procedures and agencies, and the shared submission-link validators.

Messages are Vietnamese (the editors' language); each test pins a distinctive part of one.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import querydict_from_html

from catalog.models import AgencyPage, ProcedurePage, Status
from catalog.validators import host_is_allowed, parse_domain_list, submission_url_error
from forms_library.models import FormDocument

from ..factories import (
    AgencyFactory,
    FieldFactory,
    ProcedureFactory,
    ProvinceFactory,
    cao_bang_province,
    pdf_bytes,
)

MISSING_URL = "Mức độ 3 trở lên phải có địa chỉ nộp trực tuyến"
NOT_HTTPS = "phải bắt đầu bằng https://"
BAD_HOST = "không thuộc các tên miền được phép của tỉnh"
CODE_TAKEN = "đã được dùng cho thủ tục khác trong tỉnh này"
NO_TIER = "Chọn ít nhất một cấp thực hiện"
RETIRED_TIER = "Tỉnh này không còn áp dụng"
NO_ABOLISHED_ON = "cần có ngày bãi bỏ"
SELF_SUCCESSOR = "không thể thay thế chính nó"
LD_PORTAL = "https://dichvucong.lamdong.gov.vn/dvc/thu-tuc"


def new_procedure(agency: AgencyPage, **values) -> ProcedurePage:
    """An unsaved procedure placed in `agency`, as the editor form and the importer build it."""
    fields = {
        "title": "Thủ tục mới",
        "slug": "thu-tuc-moi",
        "code": "2.000001",
        "tier_province": True,
        "level": 2,
        "field": FieldFactory(),
    }
    fields.update(values)
    page = ProcedurePage(**fields)
    page.agency, page.province = agency, agency.province
    return page


def clean_errors(page) -> dict[str, list[str]]:
    """The messages page.clean() raises, by field; fails the test when it raises nothing."""
    with pytest.raises(ValidationError) as excinfo:
        page.clean()
    return excinfo.value.message_dict


def joined(errors: dict[str, list[str]], field: str) -> str:
    return " ".join(errors.get(field, []))


def message_of(error: ValidationError | None) -> str:
    """The text of a validator's error; fails the test when there is none."""
    assert error is not None, "expected an error"
    return " ".join(error.messages)


# --- ProcedurePage.clean(): the online submission link ---------------------------------------


@pytest.mark.parametrize("level", [3, 4])
def test_level_3_and_4_need_a_submission_url(agency, level):
    errors = clean_errors(new_procedure(agency, level=level, submission_url=""))
    assert MISSING_URL in joined(errors, "submission_url")


@pytest.mark.parametrize("level", [1, 2])
def test_level_1_and_2_need_no_submission_url(agency, level):
    new_procedure(agency, level=level, submission_url="").clean()  # raises nothing


def test_an_allowed_https_url_is_accepted_at_level_3(agency):
    page = new_procedure(agency, level=3, submission_url=LD_PORTAL)
    page.clean()
    assert page.submission_url == LD_PORTAL


def test_submission_url_must_be_https(agency):
    page = new_procedure(agency, level=3, submission_url="http://dichvucong.lamdong.gov.vn/dvc")
    errors = clean_errors(page)
    assert NOT_HTTPS in joined(errors, "submission_url")


def test_an_http_url_is_refused_even_at_level_2(agency):
    page = new_procedure(agency, level=2, submission_url="http://dichvucong.lamdong.gov.vn/")
    assert NOT_HTTPS in joined(clean_errors(page), "submission_url")


@pytest.mark.parametrize(
    "url, host",
    [
        ("https://evil.example.com/nop-ho-so", "evil.example.com"),
        ("https://evil-dichvucong.lamdong.gov.vn/", "evil-dichvucong.lamdong.gov.vn"),
        ("https://dichvucong.lamdong.gov.vn.evil.com/", "dichvucong.lamdong.gov.vn.evil.com"),
        ("https://dichvucong.lamdong.gov.vn@evil.com/", "evil.com"),
        ("https://lamdong.gov.vn/", "lamdong.gov.vn"),
    ],
)
def test_submission_host_must_be_an_allowed_domain(agency, url, host):
    errors = clean_errors(new_procedure(agency, level=3, submission_url=url))
    message = joined(errors, "submission_url")
    assert BAD_HOST in message
    assert f"Tên miền {host} " in message  # names the offending host…
    assert message.endswith(": dichvucong.lamdong.gov.vn.")  # …and the allowed list


def test_the_bad_host_message_lists_every_allowed_domain(db):
    province = ProvinceFactory(
        allowed_submission_domains="dichvucong.caobang.gov.vn\nhttps://dichvucong.gov.vn/"
    )
    agency = AgencyFactory(province=province)
    errors = clean_errors(new_procedure(agency, level=4, submission_url="https://example.org/"))
    assert "dichvucong.caobang.gov.vn, dichvucong.gov.vn" in joined(errors, "submission_url")


@pytest.mark.parametrize(
    "url",
    [
        "https://dichvucong.lamdong.gov.vn/",
        "https://www.dichvucong.lamdong.gov.vn/dvc",
        "https://a.b.dichvucong.lamdong.gov.vn/x?y=1",
        "https://DICHVUCONG.LamDong.gov.vn/",
        "https://dichvucong.lamdong.gov.vn:8443/",
    ],
)
def test_the_allowed_domain_and_its_subdomains_are_accepted(agency, url):
    new_procedure(agency, level=4, submission_url=url).clean()


def test_any_https_host_is_accepted_when_the_province_lists_no_domain(db):
    agency = AgencyFactory(province=ProvinceFactory(allowed_submission_domains=""))
    new_procedure(agency, level=3, submission_url="https://portal.example.org/").clean()


def test_saving_an_invalid_procedure_is_refused(agency):
    """Page.save() validates too, so no code path can store a level 3 page without a link."""
    with pytest.raises(ValidationError):
        ProcedureFactory(agency=agency, level=3, submission_url="")
    assert not ProcedurePage.objects.filter(agency=agency).exists()


# --- ProcedurePage.clean(): codes, tiers, status -----------------------------------------------


def test_procedure_code_is_unique_within_a_province(agency):
    ProcedureFactory(agency=agency, code="1.000894")
    other_agency = AgencyFactory(province=agency.province, code="SYT")
    errors = clean_errors(new_procedure(other_agency, code="1.000894"))
    assert "Mã thủ tục 1.000894 " + CODE_TAKEN in joined(errors, "code")


def test_code_is_normalised_before_the_uniqueness_check(agency):
    ProcedureFactory(agency=agency, code="1.000894")
    page = new_procedure(agency, code="  1.000894 ")
    assert CODE_TAKEN in joined(clean_errors(page), "code")
    assert page.code == "1.000894"


def test_the_same_code_is_allowed_in_another_province(agency):
    ProcedureFactory(agency=agency, code="1.000894")
    elsewhere = AgencyFactory(province=cao_bang_province())
    new_procedure(elsewhere, code="1.000894").clean()


def test_a_saved_procedure_does_not_clash_with_itself(agency):
    page = ProcedureFactory(agency=agency, code="1.000894")
    page.title = "Tên mới"
    page.clean()


def test_at_least_one_tier_is_required(agency):
    page = new_procedure(agency, tier_province=False, tier_district=False, tier_commune=False)
    assert NO_TIER in joined(clean_errors(page), "tier_province")


@pytest.fixture
def two_tier_agency(db):
    province = ProvinceFactory(tier_system="two", allowed_submission_domains="dvc.example.gov.vn")
    return AgencyFactory(province=province)


def test_a_retired_tier_is_rejected_for_active_procedures(two_tier_agency):
    page = new_procedure(two_tier_agency, tier_province=False, tier_district=True)
    message = joined(clean_errors(page), "tier_district")
    assert RETIRED_TIER in message
    assert "Cấp huyện" in message


def test_tiers_in_force_are_accepted_in_a_two_tier_province(two_tier_agency):
    new_procedure(two_tier_agency, tier_province=True, tier_commune=True).clean()


def test_a_retired_tier_is_accepted_for_abolished_procedures(two_tier_agency):
    page = new_procedure(
        two_tier_agency,
        tier_district=True,
        status=Status.ABOLISHED,
        abolished_on=datetime.date(2025, 7, 1),
    )
    page.clean()


def test_the_district_tier_is_in_force_in_a_three_tier_province(agency):
    assert agency.province.tier_system == "three"
    new_procedure(agency, tier_district=True).clean()


def test_an_abolished_procedure_needs_its_abolition_date(agency):
    page = new_procedure(agency, status=Status.ABOLISHED, abolished_on=None)
    assert NO_ABOLISHED_ON in joined(clean_errors(page), "abolished_on")


def test_an_abolished_procedure_with_its_date_is_valid(agency):
    new_procedure(agency, status=Status.ABOLISHED, abolished_on=datetime.date(2024, 1, 1)).clean()


def test_a_procedure_cannot_succeed_itself(agency):
    page = ProcedureFactory(agency=agency)
    page.successor = page
    assert SELF_SUCCESSOR in joined(clean_errors(page), "successor")


def test_another_procedure_can_be_the_successor(agency):
    old = ProcedureFactory(agency=agency)
    old.successor = ProcedureFactory(agency=agency)
    old.clean()


def test_clean_reports_every_broken_rule_at_once(agency):
    page = new_procedure(
        agency,
        level=3,
        submission_url="",
        tier_province=False,
        status=Status.ABOLISHED,
        abolished_on=None,
    )
    errors = clean_errors(page)
    assert {"submission_url", "tier_province", "abolished_on"} <= set(errors)


# --- missing_forms() -------------------------------------------------------------------------


def documents(*items) -> list:
    return [("case", {"case": "", "documents": list(items)})]


def item(name: str, form_code: str = "", form=None) -> dict:
    return {"name": name, "originals": 1, "copies": 0, "form": form, "form_code": form_code}


@pytest.fixture
def form_file(db):
    return FormDocument.objects.create(
        title="Tờ khai thay đổi thông tin cư trú",
        code="CT01",
        file=ContentFile(pdf_bytes(("CT01",)), name="ct01.pdf"),
    )


def test_missing_forms_lists_cited_codes_without_a_file(agency, form_file):
    page = ProcedureFactory(
        agency=agency,
        level=2,
        documents=documents(
            item("Tờ khai thay đổi thông tin cư trú", "CT01", form_file),
            item("Tờ khai đăng ký khai sinh", "TK-KS"),
            item("Giấy tờ chứng minh chỗ ở hợp pháp"),
        ),
    )
    page = ProcedurePage.objects.get(pk=page.pk)
    assert page.missing_forms() == ["TK-KS"]
    assert [c["code"] for c in page.cited_forms()] == ["CT01", "TK-KS"]


def test_missing_forms_at_level_4_too(agency):
    page = new_procedure(
        agency, level=4, submission_url=LD_PORTAL, documents=documents(item("Đơn", "M01"))
    )
    assert page.missing_forms() == ["M01"]


def test_missing_forms_is_empty_at_level_1(agency):
    page = new_procedure(agency, level=1, documents=documents(item("Tờ khai", "TK-KS")))
    assert page.cited_forms()  # the form is cited…
    assert page.missing_forms() == []  # …but level 1 promises no downloadable forms


def test_missing_forms_is_empty_when_every_form_has_a_file(agency, form_file):
    page = new_procedure(agency, level=2, documents=documents(item("Tờ khai", "CT01", form_file)))
    assert page.missing_forms() == []


# --- AgencyPage.clean() ------------------------------------------------------------------------


def test_agency_code_is_unique_within_a_province(agency):
    other = AgencyFactory(province=agency.province, code="SYT", title="Sở Y tế")
    other.code = "stttt"  # normalised to upper case before the check
    with pytest.raises(ValidationError) as excinfo:
        other.clean()
    assert "Mã cơ quan STTTT đã có trong tỉnh này" in " ".join(excinfo.value.messages)


def test_adding_an_agency_with_a_taken_code_is_refused(agency):
    duplicate = AgencyPage(title="Sở khác", slug="so-khac", code="STTTT", kind="department")
    with pytest.raises(ValidationError):
        agency.province.add_child(instance=duplicate)
    assert AgencyPage.objects.filter(province=agency.province, code="STTTT").count() == 1


def test_the_same_agency_code_is_allowed_in_another_province(agency):
    elsewhere = AgencyFactory(province=cao_bang_province(), code="STTTT")
    elsewhere.clean()
    assert elsewhere.code == "STTTT"


def test_the_admin_refuses_a_taken_agency_code_with_a_form_error(agency, client):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.invalid", "pw")
    client.force_login(admin)
    url = reverse("wagtailadmin_pages:add", args=("catalog", "agencypage", agency.province.pk))
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data.update(
        {
            "title_vi": "Sở khác",
            "slug": "so-khac",
            "code": "stttt",
            "kind": "department",
            "tier": "province",
            "action-publish": "action-publish",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Mã cơ quan STTTT đã có trong tỉnh này" in response.content.decode()
    assert AgencyPage.objects.filter(province=agency.province).count() == 1


def test_agency_valid_to_must_follow_valid_from(agency):
    agency.valid_from = datetime.date(2025, 7, 1)
    agency.valid_to = datetime.date(2025, 6, 30)
    with pytest.raises(ValidationError) as excinfo:
        agency.clean()
    assert "Ngày hết hiệu lực phải sau ngày bắt đầu" in " ".join(
        excinfo.value.message_dict["valid_to"]
    )


def test_agency_validity_period_of_one_day_is_fine(agency):
    agency.valid_from = agency.valid_to = datetime.date(2025, 7, 1)
    agency.clean()
    agency.save()
    agency.refresh_from_db()
    assert agency.valid_from == agency.valid_to == datetime.date(2025, 7, 1)


# --- catalog.validators ----------------------------------------------------------------------

ALLOWED = ["dichvucong.example.gov.vn"]


@pytest.mark.parametrize(
    "host",
    [
        "dichvucong.example.gov.vn",
        "DichVuCong.Example.gov.vn",
        "dichvucong.example.gov.vn.",
        "www.dichvucong.example.gov.vn",
        "a.b.dichvucong.example.gov.vn",
    ],
)
def test_host_is_allowed_for_the_domain_and_subdomains(host):
    assert host_is_allowed(host, ALLOWED)


@pytest.mark.parametrize(
    "host",
    [
        "evil-dichvucong.example.gov.vn",
        "xdichvucong.example.gov.vn",
        "example.gov.vn",
        "dichvucong.example.gov.vn.evil.com",
        "dichvucong.example.gov",
        "",
    ],
)
def test_host_is_not_allowed_for_lookalikes_and_parents(host):
    assert not host_is_allowed(host, ALLOWED)


def test_host_is_not_allowed_by_an_empty_list():
    assert not host_is_allowed("dichvucong.example.gov.vn", [])


def test_host_is_allowed_by_any_domain_of_the_list():
    assert host_is_allowed("dvc.gov.vn", ["dichvucong.example.gov.vn", "dvc.gov.vn"])


@pytest.mark.parametrize(
    "url",
    [
        "http://dichvucong.example.gov.vn/",
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)//https://dichvucong.example.gov.vn",
        "data:text/html,<script>alert(1)</script>",
        "ftp://dichvucong.example.gov.vn/",
        "//dichvucong.example.gov.vn/",
        "https://",
        "dichvucong.example.gov.vn/nop",
    ],
)
def test_submission_url_error_refuses_anything_but_https(url):
    assert NOT_HTTPS in message_of(submission_url_error(url, 3, ALLOWED))


def test_submission_url_error_names_the_host_and_the_allowed_list():
    error = submission_url_error("https://evil-dichvucong.example.gov.vn/", 3, ALLOWED)
    assert message_of(error) == (
        "Tên miền evil-dichvucong.example.gov.vn không thuộc các tên miền được phép của tỉnh: "
        "dichvucong.example.gov.vn."
    )


@pytest.mark.parametrize(
    "url, level, expected",
    [
        ("", 3, MISSING_URL),
        ("", 4, MISSING_URL),
        ("", 2, None),
        ("", 1, None),
        ("", None, None),
        ("https://dichvucong.example.gov.vn/nop", 3, None),
        ("  https://dichvucong.example.gov.vn/nop  ", 4, None),
        ("https://sub.dichvucong.example.gov.vn/", 1, None),
    ],
)
def test_submission_url_error_by_level(url, level, expected):
    error = submission_url_error(url, level, ALLOWED)
    if expected is None:
        assert error is None
    else:
        assert expected in message_of(error)


def test_submission_url_error_speaks_the_active_language():
    error = submission_url_error("http://dichvucong.example.gov.vn/", 3, ALLOWED)
    with translation.override("en"):
        assert "must start with https://" in message_of(error)
    assert NOT_HTTPS in message_of(error)


def test_submission_url_error_accepts_any_https_host_without_a_list():
    assert submission_url_error("https://portal.example.org/", 3, []) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("dichvucong.lamdong.gov.vn", ["dichvucong.lamdong.gov.vn"]),
        ("https://dichvucong.lamdong.gov.vn/", ["dichvucong.lamdong.gov.vn"]),
        ("http://DichVuCong.LamDong.gov.vn:8443/dvc?x=1", ["dichvucong.lamdong.gov.vn"]),
        (
            "dichvucong.lamdong.gov.vn, dichvucong.gov.vn",
            ["dichvucong.lamdong.gov.vn", "dichvucong.gov.vn"],
        ),
        (
            "dichvucong.lamdong.gov.vn\r\n  dichvucong.gov.vn \n\n",
            ["dichvucong.lamdong.gov.vn", "dichvucong.gov.vn"],
        ),
        (
            "dichvucong.gov.vn\nhttps://DICHVUCONG.gov.vn/\ndichvucong.gov.vn.",
            ["dichvucong.gov.vn"],
        ),
        ("a.gov.vn,,b.gov.vn,a.gov.vn", ["a.gov.vn", "b.gov.vn"]),
        (" , \n ", []),
    ],
)
def test_parse_domain_list(text, expected):
    assert parse_domain_list(text) == expected


def test_province_allowed_domains_reads_its_setting(db):
    province = ProvinceFactory(
        allowed_submission_domains="https://dichvucong.laocai.gov.vn/\ndichvucong.gov.vn"
    )
    assert province.allowed_domains == ["dichvucong.laocai.gov.vn", "dichvucong.gov.vn"]
