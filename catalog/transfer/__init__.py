"""Moving the catalogue in and out: import_catalog, export_catalog, load_demo's writing.

columns and readers read files; flat_rows and json_rows check and plan each row (report names
every problem); resolver finds or creates what rows name; procedures upserts each procedure and
run drives an import. Pages are published through catalog.publishing.
"""
