"""The database backend's full-text structures, by engine:

- SQLite: an FTS5 table `search_fts` holding the pre-folded columns (rowid = procedure id).
- PostgreSQL: pg_trgm, a GIN tsvector index over the folded columns and a trigram index on
  the folded title (typo similarity).
"""

from django.db import migrations

POSTGRES_DOCUMENT = (
    "(folded_title || ' ' || folded_keywords || ' ' || folded_meta || ' ' || folded_body)"
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
            "folded_title, folded_keywords, folded_meta, folded_body,"
            " tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_entry_fulltext ON search_searchentry"
            f" USING gin (to_tsvector('simple', {POSTGRES_DOCUMENT}))"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_entry_title_fulltext ON search_searchentry"
            " USING gin (to_tsvector('simple', folded_title))"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_term_trigram ON search_searchterm"
            " USING gin (term gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        for index in ("search_entry_fulltext", "search_entry_title_fulltext", "search_term_trigram"):
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
