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
    assert page.needs_submission_url is (level >= 3)


def test_level_label_follows_the_active_language():
    with translation.override("en"):
        assert level_label(3) == "Level 3 · Partial online service"
        assert level_label(4).endswith("Full-process online service")
        assert level_label(1).endswith("Information only")
    assert level_label(3) == "Mức độ 3 · Dịch vụ công trực tuyến một phần"
