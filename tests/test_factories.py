"""The factories leave what the product leaves: every page published through a revision."""

import datetime

from wagtail.models import PageLogEntry

from .factories import AgencyFactory, ProcedureFactory, ProvinceFactory


def test_factory_pages_are_published_through_a_revision(db):
    procedure = ProcedureFactory()
    for page in (procedure, procedure.get_parent().specific, ProvinceFactory()):
        page.refresh_from_db()
        assert page.live and page.live_revision_id == page.latest_revision_id is not None
        assert page.first_published_at and page.last_published_at
        assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").count() == 1


def test_a_draft_has_a_revision_and_is_not_published(db):
    draft = ProcedureFactory(agency=AgencyFactory(), live=False)
    draft.refresh_from_db()
    assert not draft.live and draft.latest_revision_id and draft.live_revision_id is None
    assert draft.first_published_at is None and draft.has_unpublished_changes
    assert not PageLogEntry.objects.filter(page=draft, action="wagtail.publish").exists()


def test_a_published_date_can_be_set(db):
    then = datetime.datetime(2024, 1, 10, 9, tzinfo=datetime.UTC)
    page = ProcedureFactory(last_published_at=then)
    page.refresh_from_db()
    assert page.last_published_at == then and page.live_revision_id
