"""Online service levels: the 2011 numbering beside the 2022 vocabulary."""

import pytest
from django.utils import translation

from catalog.levels import (
    LEVEL_2022_LABELS,
    LEVEL_DESCRIPTIONS,
    Level,
    level_label,
    needs_submission_url,
)
from catalog.models import ProcedurePage
from catalog.validators import NEEDS_URL, submission_url_error

from ..factories import ProcedureFactory

PORTAL = "https://dichvucong.lamdong.gov.vn/nop"  # allowed in the conftest province


@pytest.mark.parametrize(
    "level, number, vocabulary",
    [
        (1, "Mức độ 1", "Thông tin trực tuyến"),
        (2, "Mức độ 2", "Thông tin trực tuyến"),
        (3, "Mức độ 3", "Dịch vụ công trực tuyến một phần"),
        (4, "Mức độ 4", "Dịch vụ công trực tuyến toàn trình"),
    ],
)
def test_level_label_shows_both_vocabularies(level, number, vocabulary):
    label = level_label(level)
    assert label.startswith(number)
    assert label.endswith(vocabulary)
    assert label == f"{number} · {vocabulary}"


def test_only_level_3_is_partial_and_only_level_4_is_full_process():
    labels = {level: level_label(level) for level in range(1, 5)}
    assert [lvl for lvl, text in labels.items() if "một phần" in text] == [3]
    assert [lvl for lvl, text in labels.items() if "toàn trình" in text] == [4]
    assert [lvl for lvl, text in labels.items() if "Thông tin trực tuyến" in text] == [1, 2]


def test_level_label_accepts_the_enum():
    assert level_label(Level.FULL) == level_label(4)


@pytest.mark.parametrize("level", [0, 5, -1])
def test_level_label_refuses_unknown_levels(level):
    with pytest.raises((ValueError, KeyError)):
        level_label(level)


def test_every_level_has_a_description_and_a_2022_label():
    assert set(LEVEL_DESCRIPTIONS) == set(LEVEL_2022_LABELS) == {1, 2, 3, 4}
    assert [choice.value for choice in Level] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "level, needed",
    [(None, False), (0, False), (1, False), (2, False), (3, True), (4, True)],
)
def test_needs_submission_url(level, needed):
    assert needs_submission_url(level) is needed


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_procedure_page_level_properties(db, level):
    page = ProcedurePage(level=level)
    assert page.level_label == level_label(level)
    assert page.level_2022_label == LEVEL_2022_LABELS[level]
    assert page.needs_submission_url is needs_submission_url(level)
    assert page.level_description == LEVEL_DESCRIPTIONS[level]


def test_level_label_follows_the_active_language():
    with translation.override("en"):
        assert level_label(3) == "Level 3 · Partial online service"
        assert level_label(4).endswith("Full-process online service")
        assert level_label(1).endswith("Information only")
    assert level_label(3) == "Mức độ 3 · Dịch vụ công trực tuyến một phần"


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_a_missing_submission_url_is_an_error_exactly_where_one_is_needed(level):
    error = submission_url_error("", level, [])
    assert (error is not None) is needs_submission_url(level)
    assert error is None or error.message == NEEDS_URL


@pytest.mark.parametrize("level, has_start", [(2, False), (3, True), (4, True)])
def test_the_start_button_shows_where_the_level_needs_a_submission_url(
    client, agency, level, has_start
):
    # A level 2 procedure may keep the URL it had at level 3; it is not offered to citizens.
    page = ProcedureFactory(agency=agency, level=level, submission_url=PORTAL)
    html = client.get(page.url).content.decode()
    assert ('class="button-start"' in html) is has_start


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_the_procedure_page_explains_its_level_in_one_line(client, agency, level):
    values = {"submission_url": PORTAL} if needs_submission_url(level) else {}
    page = ProcedureFactory(agency=agency, level=level, **values)
    html = client.get(page.url).content.decode()
    assert f'<span class="meta">{LEVEL_DESCRIPTIONS[level]}</span>' in html
    english = client.get("/en" + page.url).content.decode()
    with translation.override("en"):
        assert f'<span class="meta">{LEVEL_DESCRIPTIONS[level]}</span>' in english
        assert str(LEVEL_DESCRIPTIONS[level]).endswith(".") and "Mức" not in english
