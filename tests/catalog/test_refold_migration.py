"""catalog 0005 refolds the stored folded titles, in batches, to what ProcedurePage.save() now
stores (cms.text.fold), English titles included."""

import importlib

import pytest
from django.db.migrations.loader import MigrationLoader

from catalog.models import ProcedurePage
from cms.text import ascii_fold

from ..factories import ProcedureFactory

MIGRATION = "0005_refold_titles_with_the_one_folding"
refold = importlib.import_module(f"catalog.migrations.{MIGRATION}")

pytestmark = pytest.mark.django_db


def earlier_folding(text: str) -> str:
    """What cms.text.folded() stored before: marks and case removed, i/y spelling kept."""
    return ascii_fold(" ".join(text.casefold().split()))


def test_stored_titles_become_what_save_now_stores(agency, monkeypatch):
    monkeypatch.setattr(refold, "BATCH", 2)
    titles = [
        ("Đăng ký kết hôn", "Marriage registration"),
        ("Cấp Phiếu lý lịch tư pháp", ""),
        ("Công nhận hoà giải viên", "Recognition of mediators"),
        ("Kiểm định kỹ thuật an toàn", ""),
        ("Cấp giấy phép xây dựng", "Construction permit"),
    ]
    pages = [ProcedureFactory(agency=agency, title=vi, title_en=en) for vi, en in titles]
    saved = dict(ProcedurePage.objects.values_list("pk", "folded_title"))
    for page, (vi, en) in zip(pages, titles, strict=True):
        earlier = earlier_folding(f"{vi} {en}")
        ProcedurePage.objects.filter(pk=page.pk).update(folded_title=earlier)
    assert dict(ProcedurePage.objects.values_list("pk", "folded_title")) != saved

    state = MigrationLoader(None, ignore_no_migrations=True).project_state(("catalog", MIGRATION))
    refold.refold_titles(state.apps, None)

    assert dict(ProcedurePage.objects.values_list("pk", "folded_title")) == saved
    assert saved[pages[0].pk] == "dang ki ket hon marriage registration"
