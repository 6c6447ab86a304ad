"""IndexVersion (when each process's in-memory entry table is stale) and, on PostgreSQL, the
titles and keywords as a stored tsvector with a GIN index, which the backend now matches on
their own. Stored, not an expression index: a phrase ("so <-> do") is checked again row by
row, and reading a stored vector is much cheaper than parsing the text each time."""

from django.db import migrations, models


def create_names_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS names_vector tsvector"
            " GENERATED ALWAYS AS"
            " (to_tsvector('simple', folded_title || ' ' || folded_keywords)) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_entry_names_fulltext ON search_searchentry"
            " USING gin (names_vector)"
        )


def drop_names_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_names_fulltext")
        schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN IF EXISTS names_vector")


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
        migrations.RunPython(create_names_vector, drop_names_vector),
    ]
