"""import_catalog matches agencies and fields by name in cms.text's exact form: case, spacing,
Unicode form, tone placement and i/y spelling aside; slugs keep the title's own spelling."""

import unicodedata

import pytest

from catalog.models import AgencyPage, Field, ProcedurePage, Tier

from ..factories import AgencyFactory, FieldFactory
from .helpers import row, run, table, write_csv

pytestmark = pytest.mark.django_db


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def imported(path) -> str:
    result = run("import_catalog", path)
    assert not result.failed, result.err
    return result.out


AGENCY_SPELLINGS = {
    "Sở Tư pháp": [
        "Sở Tư pháp",
        "SỞ TƯ PHÁP",
        "Sở  Tư   pháp",
        nfd("Sở Tư pháp"),
        nfd("SỞ TƯ PHÁP"),
    ],
    "UBND xã Hòa Bắc": ["UBND xã Hoà Bắc", "UBND XÃ HOÀ BẮC", nfd("UBND xã Hoà Bắc")],
    "Chi cục Thủy sản": ["Chi cục Thuỷ sản", "chi cục thuỷ sản"],
}


def test_agencies_are_found_whatever_the_spelling_of_their_name(tmp_path, province, field):
    agencies = {
        name: AgencyFactory(province=province, code=f"CQ{n}", title=name, tier=Tier.PROVINCE)
        for n, name in enumerate(AGENCY_SPELLINGS)
    }
    rows = [
        row(code=f"A{name_n}.{n}", agency=typed)
        for name_n, spellings in enumerate(AGENCY_SPELLINGS.values())
        for n, typed in enumerate(spellings)
    ]
    before = AgencyPage.objects.count()

    out = imported(write_csv(tmp_path / "a.csv", table(*rows)))

    assert "Cơ quan mới" not in out
    assert AgencyPage.objects.count() == before
    for name_n, name in enumerate(AGENCY_SPELLINGS):
        found = {p.agency for p in ProcedurePage.objects.filter(code__startswith=f"A{name_n}.")}
        assert found == {agencies[name]}, name


def test_a_field_is_found_across_i_y_spelling(tmp_path, agency):
    known = FieldFactory(code="ly-lich", name="Lý lịch tư pháp")
    rows = [
        row(code=f"F{n}", field=typed)
        for n, typed in enumerate(["Lí lịch tư pháp", "LÝ LỊCH TƯ PHÁP"])
    ]

    out = imported(write_csv(tmp_path / "a.csv", table(*rows)))

    assert "Lĩnh vực mới" not in out
    assert [p.field for p in ProcedurePage.objects.all()] == [known, known]
    assert Field.objects.count() == 1


def test_slugs_keep_the_spelling_of_the_title(tmp_path, agency, field):
    imported(write_csv(tmp_path / "a.csv", table(row(code="2.000001", title="Đăng ký kết hôn"))))

    assert ProcedurePage.objects.get().slug.startswith("dang-ky-ket-hon")
