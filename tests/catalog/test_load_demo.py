"""load_demo: the four seed provinces as the fixtures describe them, and a second run that writes
nothing.

load_demo takes about half a minute, so it runs once for the module (`demo`), and once more for
the idempotence tests at the end (`rerun`); everything is rolled back when the module ends.
"""

import json
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.models import Page, PageLogEntry, Revision

from catalog.models import AgencyPage, ProcedurePage, ProvincePage, RoadmapTarget
from catalog.records import procedure_record
from forms_library.models import FormDocument, FormVersion

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"
FORMS_DIR = Path(settings.BASE_DIR) / "fixtures" / "forms"
PROVINCES = ["lam-dong", "cao-bang", "thai-binh", "lao-cai"]
KNOWN_COUNTS = {"lam-dong": 7, "cao-bang": 7, "thai-binh": 35, "lao-cai": 105}
SEEDS = {code: json.loads((SEEDS_DIR / f"{code}.json").read_text("utf-8")) for code in PROVINCES}

pytestmark = pytest.mark.django_db


def seed_procedures(code: str) -> dict[str, dict]:
    return {item["code"]: item for item in SEEDS[code]["procedures"]}


def procedures_of(code: str):
    return ProcedurePage.objects.live().filter(province__code=code)


def database_counts() -> dict:
    def by_type(model):
        return Counter(ContentType.objects.get_for_id(ct).model for ct in model)

    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "log_entries": PageLogEntry.objects.count(),
        "revisions_by_type": by_type(Revision.objects.values_list("content_type", flat=True)),
        "log_entries_by_type": by_type(PageLogEntry.objects.values_list("content_type", flat=True)),
        "roadmap_targets": RoadmapTarget.objects.count(),
    }


@pytest.fixture(scope="module")
def demo(module_transaction) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def rerun(demo) -> dict:
    """load_demo a second time, with the database counts before and after."""
    before = database_counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    return {"before": before, "after": database_counts(), "output": out.getvalue()}


# --- the first run ---------------------------------------------------------------------------


def test_the_fixtures_are_the_ones_these_tests_know():
    """A fixture losing or gaining procedures must be a deliberate change, seen here."""
    assert {code: len(SEEDS[code]["procedures"]) for code in PROVINCES} == KNOWN_COUNTS


def test_first_run_reports_what_it_created(demo):
    for code in PROVINCES:
        name = SEEDS[code]["province"]["name"]
        assert f"{name}: created {KNOWN_COUNTS[code]}, updated 0, unchanged 0" in demo


def test_four_published_provinces(demo):
    provinces = ProvincePage.objects.live()
    assert sorted(p.code for p in provinces) == sorted(PROVINCES)
    for province in provinces:
        info = SEEDS[province.code]["province"]
        assert province.title == info["name"]
        assert province.decision == info["decision"]
        assert province.decision_date.isoformat() == info["decision_date"]
        assert province.tier_system == "three"


@pytest.mark.parametrize("code", PROVINCES)
def test_published_procedures_per_province_match_the_fixture(demo, code):
    assert procedures_of(code).count() == len(SEEDS[code]["procedures"]) == KNOWN_COUNTS[code]
    assert set(procedures_of(code).values_list("code", flat=True)) == set(seed_procedures(code))
    assert not ProcedurePage.objects.filter(province__code=code, live=False).exists()


@pytest.mark.parametrize("code", PROVINCES)
def test_agencies_per_province_match_the_fixture(demo, code):
    agencies = AgencyPage.objects.live().filter(province__code=code)
    assert sorted(agencies.values_list("code", flat=True)) == sorted(
        a["code"] for a in SEEDS[code]["agencies"]
    )


@pytest.mark.parametrize("code", PROVINCES)
def test_levels_tiers_agency_field_of_every_procedure_match_the_fixture(demo, code):
    seeds = seed_procedures(code)
    pages = procedures_of(code).select_related("agency", "field").prefetch_related("co_agencies")
    for page in pages:
        item = seeds[page.code]
        assert page.level == item["level"], page.code
        assert set(page.tiers) == set(item["tiers"]), page.code
        assert page.agency.code == item["agency"], page.code
        assert page.field.code == item["field"], page.code
        assert {a.code for a in page.co_agencies.all()} == set(item["co_agencies"]), page.code


@pytest.mark.parametrize("code", PROVINCES)
def test_online_procedures_link_to_an_allowed_domain(demo, code):
    province = ProvincePage.objects.get(code=code)
    for page in procedures_of(code):
        if page.level >= 3:
            assert page.submission_url.startswith("https://"), page.code
            assert page.clean() is None  # the stored link passes the province's own rule
        else:
            assert page.submission_url == "", page.code
    assert province.allowed_domains[0] == f"dichvucong.{code.replace('-', '')}.gov.vn"


@pytest.mark.parametrize("code", PROVINCES)
def test_roadmap_targets_match_the_fixture(demo, code):
    seeds = seed_procedures(code)
    pages = procedures_of(code).prefetch_related("roadmap_targets")
    for page in pages:
        stored = [(t.target_level, t.due_year) for t in page.roadmap_targets.all()]
        wanted = [(t["target_level"], t.get("due_year")) for t in seeds[page.code]["roadmap"]]
        assert stored == wanted, page.code


def test_thai_binh_has_eight_procedures_with_targets_at_levels_3_and_4(demo):
    two_targets = [
        page
        for page in procedures_of("thai-binh").prefetch_related("roadmap_targets")
        if page.roadmap_targets.count() == 2
    ]
    assert len(two_targets) == 8
    for page in two_targets:
        assert sorted(t.target_level for t in page.roadmap_targets.all()) == [3, 4]
        assert all(t.source_decision for t in page.roadmap_targets.all())


def test_announced_totals_of_lam_dong(demo):
    province = ProvincePage.objects.get(code="lam-dong")
    announced = (
        province.announced_total,
        province.announced_province,
        province.announced_district,
        province.announced_commune,
    )
    assert announced == (1321, 978, 229, 114)


def test_announced_total_of_lao_cai(demo):
    assert ProvincePage.objects.get(code="lao-cai").announced_total == 1113


@pytest.mark.parametrize("code", PROVINCES)
def test_announced_totals_rows_show_published_counts_and_gaps(demo, code):
    totals = SEEDS[code]["province"]["announced_totals"]
    items = SEEDS[code]["procedures"]
    published = {
        "Tổng số": len(items),
        "Cấp tỉnh": sum("province" in i["tiers"] for i in items),
        "Cấp huyện": sum("district" in i["tiers"] for i in items),
        "Cấp xã": sum("commune" in i["tiers"] for i in items),
    }
    announced = {
        "Tổng số": totals["total"],
        "Cấp tỉnh": totals["province"],
        "Cấp huyện": totals["district"],
        "Cấp xã": totals["commune"],
    }
    rows = ProvincePage.objects.get(code=code).announced_totals()
    assert [str(row["label"]) for row in rows] == list(published)
    for row in rows:
        label = str(row["label"])
        assert row["announced"] == announced[label]
        assert row["published"] == published[label]
        assert row["gap"] == announced[label] - published[label]


def test_lam_dong_totals_in_numbers(demo):
    rows = ProvincePage.objects.get(code="lam-dong").announced_totals()
    assert (rows[0]["announced"], rows[0]["published"], rows[0]["gap"]) == (1321, 7, 1314)


@pytest.mark.parametrize("code", ["LC.074", "LC.086"])
def test_titles_longer_than_255_characters_are_kept_whole(demo, code):
    full = seed_procedures("lao-cai")[code]["title"]
    assert len(full) > 255
    page = ProcedurePage.objects.get(province__code="lao-cai", code=code)
    assert page.full_title == full
    assert len(page.title) <= 255
    assert page.title.endswith("…")
    assert full.startswith(page.title.removesuffix("…"))
    assert page.official_title == full
    assert procedure_record(page)["title"] == full


def test_short_titles_have_no_full_title(demo):
    page = ProcedurePage.objects.get(province__code="lao-cai", code="LC.001")
    assert page.title == seed_procedures("lao-cai")["LC.001"]["title"]
    assert page.full_title == ""
    assert procedure_record(page)["title"] == page.title


def test_the_api_serves_the_whole_long_title(demo, client):
    response = client.get("/api/v1/procedures/LC.074/")
    assert response.status_code == 200
    assert response.json()["title"] == seed_procedures("lao-cai")["LC.074"]["title"]


def sample_form_specs() -> list[dict]:
    return json.loads((FORMS_DIR / "forms.json").read_text(encoding="utf-8"))


def test_sample_content_is_marked_and_only_on_procedures_with_sample_forms(demo):
    """LD.001 has sample steps and documents; the others listed in fixtures/forms/forms.json
    have a sample required document linking their sample form."""
    expected = {("lam-dong", "LD.001")} | {
        tuple(key.split("/")) for spec in sample_form_specs() for key in spec["procedures"]
    }
    samples = ProcedurePage.objects.filter(is_sample_content=True)
    assert {(p.province.code, p.code) for p in samples} == expected
    assert all(page.missing_forms() == [] for page in samples)


def test_sample_forms_are_loaded_marked_and_linked(demo):
    for spec in sample_form_specs():
        form = FormDocument.objects.get(code=spec["code"])
        assert form.is_sample and form.sha256 and form.file_size
        assert form.file_format == spec["file"].rsplit(".", 1)[1]
        for key in spec["procedures"]:
            province, code = key.split("/")
            page = ProcedurePage.objects.get(province__code=province, code=code)
            assert form.pk in [c["form"].pk for c in page.cited_forms() if c["form"]]


def test_the_cited_ct01_line_gets_its_sample_file(demo):
    page = ProcedurePage.objects.get(province__code="lam-dong", code="LD.001")
    cited = {c["code"]: c["form"] for c in page.cited_forms()}
    assert cited["CT01"] == FormDocument.objects.get(code="CT01")


def test_every_loaded_page_is_published_through_a_revision(demo):
    """Each province, agency and procedure has what page.save_revision().publish() leaves: its
    live revision as its latest, a publish entry naming that revision, a first publication."""
    pages = [
        *ProvincePage.objects.all(),
        *AgencyPage.objects.all(),
        *ProcedurePage.objects.all(),
    ]
    assert len(pages) == 4 + AgencyPage.objects.count() + sum(KNOWN_COUNTS.values())
    publications = set(
        PageLogEntry.objects.filter(action="wagtail.publish").values_list("page_id", "revision_id")
    )
    for page in pages:
        assert page.live and not page.has_unpublished_changes, page
        assert page.live_revision_id and page.live_revision_id == page.latest_revision_id, page
        assert page.first_published_at and page.last_published_at, page
        assert (page.pk, page.live_revision_id) in publications, page


def test_each_procedure_history_says_it_was_created_and_published_by_load_demo(demo):
    procedure_type = ContentType.objects.get_for_model(ProcedurePage)
    entries = PageLogEntry.objects.filter(content_type=procedure_type)
    actions = Counter(entries.values_list("action", flat=True))
    total = sum(KNOWN_COUNTS.values())
    assert actions == {"wagtail.create": total, "catalog.import": total, "wagtail.publish": total}
    imports = entries.filter(action="catalog.import")
    assert all(e.data == {"source": "load_demo", "created": True} for e in imports)
    assert Revision.objects.filter(content_type=procedure_type).count() == total


# --- the second run (keep these last: `rerun` changes the module's database) ------------------


def test_second_run_reports_everything_unchanged(rerun):
    for code in PROVINCES:
        name = SEEDS[code]["province"]["name"]
        assert f"{name}: created 0, updated 0, unchanged {KNOWN_COUNTS[code]}" in rerun["output"]


def test_second_run_creates_no_pages_and_no_targets(rerun):
    assert rerun["after"]["pages"] == rerun["before"]["pages"]
    assert rerun["after"]["roadmap_targets"] == rerun["before"]["roadmap_targets"]


def test_second_run_writes_no_revisions_of_any_page_type(rerun):
    for model in ("procedurepage", "agencypage", "provincepage", "homepage"):
        assert (
            rerun["after"]["revisions_by_type"][model]
            == (rerun["before"]["revisions_by_type"][model])
        ), model
        assert (
            rerun["after"]["log_entries_by_type"][model]
            == (rerun["before"]["log_entries_by_type"][model])
        ), model


def test_second_run_writes_no_revisions_and_no_log_entries(rerun):
    assert rerun["after"]["revisions"] == rerun["before"]["revisions"]
    assert rerun["after"]["log_entries"] == rerun["before"]["log_entries"]


def test_second_run_keeps_the_sample_forms_as_they_are(rerun):
    assert FormDocument.objects.count() == len(sample_form_specs())
    assert not FormVersion.objects.exists()


def test_the_catalogue_is_the_same_after_the_second_run(rerun):
    for code in PROVINCES:
        assert procedures_of(code).count() == KNOWN_COUNTS[code]
    assert ProvincePage.objects.get(code="lam-dong").announced_totals()[0]["published"] == 7
