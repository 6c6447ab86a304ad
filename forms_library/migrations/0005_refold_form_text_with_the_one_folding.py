"""Stored searchable text of forms in cms.text's one folding ("Đăng ký" was "dang ky", is now
"dang ki"), from the code and titles, as FormDocument.save() folds it."""

from django.db import migrations

from cms.text import fold

BATCH = 1000


def refold_form_text(apps, schema_editor):
    FormDocument = apps.get_model("forms_library", "FormDocument")
    forms = FormDocument.objects.only("code", "title", "title_en", "folded_text").order_by("pk")
    last = 0
    while batch := list(forms.filter(pk__gt=last)[:BATCH]):
        changed = []
        for form in batch:
            folded = fold(" ".join([form.code, form.title, form.title_en]))
            if folded != form.folded_text:
                form.folded_text = folded
                changed.append(form)
        FormDocument.objects.bulk_update(changed, ["folded_text"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("forms_library", "0004_updated_at_and_facts_of_earlier_forms"),
    ]

    # The earlier folding cannot be recovered from the new one; going back keeps the new form.
    operations = [migrations.RunPython(refold_form_text, migrations.RunPython.noop, elidable=True)]
