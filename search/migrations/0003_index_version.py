"""IndexVersion (when each process's in-memory facet table is stale) and, on PostgreSQL, a GIN
index over titles and keywords, which the backend now matches on their own."""

from django.db import migrations, models

NAMES = "(folded_title || ' ' || folded_keywords)"


def create_names_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_entry_names_fulltext ON search_searchentry"
            f" USING gin (to_tsvector('simple', {NAMES}))"
        )


def drop_names_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_names_fulltext")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_full_text_engines"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(create_names_index, drop_names_index),
    ]
