"""forms_library 0005 refolds the forms' searchable text, in batches, to what
FormDocument.save() now stores (cms.text.fold)."""

import importlib

import pytest
from django.db.migrations.loader import MigrationLoader

from forms_library.models import FormDocument
from tests.factories import FormDocumentFactory

MIGRATION = "0005_refold_form_text_with_the_one_folding"
refold = importlib.import_module(f"forms_library.migrations.{MIGRATION}")

pytestmark = pytest.mark.django_db


def test_stored_text_becomes_what_save_now_stores(monkeypatch):
    monkeypatch.setattr(refold, "BATCH", 2)
    titles = ["Tờ khai đăng ký khai sinh", "Tờ khai lý lịch tư pháp", "Đơn xin phép xây dựng"]
    for n, title in enumerate(titles):
        FormDocumentFactory(code=f"BM{n}", title=title, title_en="Form")
    saved = dict(FormDocument.objects.values_list("pk", "folded_text"))
    FormDocument.objects.update(folded_text="")

    state = MigrationLoader(None, ignore_no_migrations=True).project_state(
        ("forms_library", MIGRATION)
    )
    refold.refold_form_text(state.apps, None)

    assert dict(FormDocument.objects.values_list("pk", "folded_text")) == saved
    assert "bm0 to khai dang ki khai sinh form" in saved.values()
