"""Stored folded titles in cms.text's one folding ("Đăng ký" was "dang ky", is now "dang ki").

ProcedurePage.save() folds both languages' titles, and the English page title (title_en) is a
column wagtail-modeltranslation adds after the migrations, which the historical models do not
have. The stored form is refolded instead: it already holds those titles with their marks and case
removed, and fold() of a text without its marks is fold() of the text (cms.text), so this gives
what save() now gives, without reading the titles.
"""

from django.db import migrations

from cms.text import fold

BATCH = 1000


def refold_titles(apps, schema_editor):
    ProcedurePage = apps.get_model("catalog", "ProcedurePage")
    pages = ProcedurePage.objects.only("folded_title").order_by("pk")
    last = 0
    while batch := list(pages.filter(pk__gt=last)[:BATCH]):
        changed = []
        for page in batch:
            folded = fold(page.folded_title)
            if folded != page.folded_title:
                page.folded_title = folded
                changed.append(page)
        ProcedurePage.objects.bulk_update(changed, ["folded_title"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_tree_keys_set_null"),
    ]

    # The earlier folding cannot be recovered from the new one; going back keeps the new form.
    operations = [migrations.RunPython(refold_titles, migrations.RunPython.noop, elidable=True)]
