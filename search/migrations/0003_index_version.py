"""IndexVersion (when each process's in-memory entry table is stale) and, on PostgreSQL, the
titles and the keywords each as a stored tsvector with a GIN index (the backend matches them on
their own), in place of the expression index on titles: a phrase ("so <-> do") is checked again
row by row, and reading a stored vector is much cheaper than parsing the text each time. A
pattern index on folded titles serves autocomplete's "title starts with"."""

from django.db import migrations, models

VECTORS = {"title_vector": "folded_title", "keywords_vector": "folded_keywords"}


def create_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, source in VECTORS.items():
        schema_editor.execute(
            f"ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS {column} tsvector"
            f" GENERATED ALWAYS AS (to_tsvector('simple', {source})) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS search_entry_{column} ON search_searchentry"
            f" USING gin ({column})"
        )
    schema_editor.execute("DROP INDEX IF EXISTS search_entry_title_fulltext")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_entry_title_pattern ON search_searchentry"
        " (folded_title text_pattern_ops)"
    )


def drop_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_entry_title_pattern")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_entry_title_fulltext ON search_searchentry"
        " USING gin (to_tsvector('simple', folded_title))"
    )
    for column in VECTORS:
        schema_editor.execute(f"DROP INDEX IF EXISTS search_entry_{column}")
        schema_editor.execute(f"ALTER TABLE search_searchentry DROP COLUMN IF EXISTS {column}")


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
        migrations.RunPython(create_vectors, drop_vectors),
    ]
