"""Roadmap targets (lộ trình): met, due or missed."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from catalog.levels import needs_submission_url
from catalog.models import ProcedurePage, RoadmapTarget, Status

from ..factories import ProcedureFactory

MET, DUE, MISSED = RoadmapTarget.MET, RoadmapTarget.DUE, RoadmapTarget.MISSED
PORTAL = "https://dichvucong.lamdong.gov.vn/"
JAN_2026 = datetime.date(2026, 1, 15)


def procedure(level: int = 2, **values) -> ProcedurePage:
    """An unsaved procedure: RoadmapTarget.status() only reads its level and status."""
    return ProcedurePage(level=level, **values)


def target(page, target_level: int, due_year=None, due_date=None) -> RoadmapTarget:
    return RoadmapTarget(
        procedure=page, target_level=target_level, due_year=due_year, due_date=due_date
    )


pytestmark = pytest.mark.django_db


# --- RoadmapTarget.status() ------------------------------------------------------------------


@pytest.mark.parametrize("level, target_level", [(3, 3), (4, 3), (4, 4), (2, 2), (2, 1)])
def test_met_when_the_level_reaches_the_target(level, target_level):
    page = procedure(level)
    # Met even long after the deadline: reaching the level is what counts.
    assert target(page, target_level, due_year=2014).status(today=JAN_2026) == MET
    assert target(page, target_level, due_year=2030).status(today=JAN_2026) == MET


@pytest.mark.parametrize("level, target_level", [(1, 3), (2, 3), (3, 4)])
def test_due_when_not_met_and_the_deadline_is_ahead(level, target_level):
    page = procedure(level)
    assert target(page, target_level, due_year=2026).status(today=JAN_2026) == DUE
    by_date = target(page, target_level, due_date=datetime.date(2026, 2, 1))
    assert by_date.status(today=JAN_2026) == DUE


@pytest.mark.parametrize("level, target_level", [(1, 3), (2, 3), (3, 4)])
def test_missed_when_not_met_and_the_deadline_has_passed(level, target_level):
    page = procedure(level)
    assert target(page, target_level, due_year=2025).status(today=JAN_2026) == MISSED
    by_date = target(page, target_level, due_date=datetime.date(2026, 1, 14))
    assert by_date.status(today=JAN_2026) == MISSED


def test_the_deadline_day_itself_is_still_due():
    t = target(procedure(2), 3, due_date=datetime.date(2025, 6, 30))
    assert t.status(today=datetime.date(2025, 6, 30)) == DUE
    assert t.status(today=datetime.date(2025, 7, 1)) == MISSED


def test_a_due_year_runs_to_the_end_of_that_year():
    t = target(procedure(2), 3, due_year=2025)
    assert t.deadline == datetime.date(2025, 12, 31)
    assert t.status(today=datetime.date(2025, 12, 31)) == DUE
    assert t.status(today=datetime.date(2026, 1, 1)) == MISSED


def test_due_date_wins_over_due_year():
    t = target(procedure(2), 3, due_year=2025, due_date=datetime.date(2025, 3, 31))
    assert t.deadline == datetime.date(2025, 3, 31)
    assert t.status(today=datetime.date(2025, 6, 1)) == MISSED
    assert target(procedure(2), 3, due_year=2025).status(today=datetime.date(2025, 6, 1)) == DUE


def test_without_any_deadline_a_target_is_due():
    t = target(procedure(1), 3)
    assert t.deadline is None
    assert t.status(today=datetime.date(2100, 1, 1)) == DUE


@pytest.mark.parametrize("due_year, expected", [(2014, MISSED), (2030, DUE)])
def test_an_abolished_procedure_never_meets_its_target(due_year, expected):
    page = procedure(4, status=Status.ABOLISHED, abolished_on=datetime.date(2020, 1, 1))
    assert target(page, 3, due_year=due_year).status(today=JAN_2026) == expected


def test_status_defaults_to_today():
    page = procedure(2)
    assert target(page, 3, due_year=2000).status() == MISSED
    assert target(page, 3, due_year=2999).status() == DUE
    assert target(page, 2, due_year=2000).status() == MET


@pytest.mark.parametrize(
    "level, due_year, label",
    [(3, 2000, "Đã đạt"), (2, 2999, "Chưa đến hạn"), (2, 2000, "Quá hạn, chưa đạt")],
)
def test_status_label(level, due_year, label):
    assert target(procedure(level), 3, due_year=due_year).status_label() == label


# --- targets saved on a procedure ------------------------------------------------------------


def with_targets(agency, level: int, *targets: dict) -> ProcedurePage:
    """A saved procedure with these roadmap targets, read back from the database."""
    values = {"submission_url": PORTAL} if needs_submission_url(level) else {}
    page = ProcedureFactory(agency=agency, level=level, **values)
    page.roadmap_targets = [RoadmapTarget(**t) for t in targets]
    page.save()
    return ProcedurePage.objects.get(pk=page.pk)


def statuses(page: ProcedurePage, today: datetime.date = JAN_2026) -> list[str]:
    return [t.status(today) for t in page.roadmap_targets.all()]


def test_saved_targets_read_back_in_order_with_their_statuses(agency):
    page = with_targets(
        agency,
        2,
        {"target_level": 2, "due_year": 2013},
        {"target_level": 4, "due_year": 2030},
        {"target_level": 3, "due_year": 2016},
    )
    assert statuses(page) == [MET, DUE, MISSED]


def test_a_saved_target_follows_the_day_asked_about(agency):
    page = with_targets(agency, 2, {"target_level": 3, "due_date": datetime.date(2026, 6, 30)})
    assert statuses(page, datetime.date(2026, 6, 30)) == [DUE]
    assert statuses(page, datetime.date(2026, 7, 1)) == [MISSED]


def test_targets_created_directly_belong_to_the_procedure(agency):
    page = ProcedureFactory(agency=agency, level=2)
    RoadmapTarget.objects.create(procedure=page, target_level=3, due_year=2015)
    RoadmapTarget.objects.create(procedure=page, target_level=2, due_year=2015)
    page = ProcedurePage.objects.get(pk=page.pk)
    assert sorted(statuses(page)) == sorted([MISSED, MET])


def test_a_target_of_an_abolished_procedure_is_never_met(agency):
    page = with_targets(agency, 4, {"target_level": 3, "due_year": 2030})
    assert statuses(page) == [MET]
    page.status, page.abolished_on = Status.ABOLISHED, datetime.date(2025, 1, 1)
    page.save()
    page = ProcedurePage.objects.get(pk=page.pk)
    assert statuses(page) == [DUE]
    assert statuses(page, datetime.date(2031, 1, 1)) == [MISSED]


# --- RoadmapTarget.clean() -------------------------------------------------------------------


def test_clean_needs_a_year_or_a_date():
    with pytest.raises(ValidationError) as excinfo:
        target(procedure(), 3).clean()
    assert "Nhập năm hoặc ngày hoàn thành" in " ".join(excinfo.value.message_dict["due_year"])


def test_clean_refuses_a_date_outside_the_year():
    t = target(procedure(), 3, due_year=2025, due_date=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        t.clean()
    assert "không khớp với năm" in " ".join(excinfo.value.message_dict["due_date"])


@pytest.mark.parametrize(
    "due_year, due_date",
    [(2025, None), (None, datetime.date(2025, 9, 30)), (2025, datetime.date(2025, 9, 30))],
)
def test_clean_accepts_a_year_a_date_or_both_matching(due_year, due_date):
    target(procedure(), 3, due_year=due_year, due_date=due_date).clean()
