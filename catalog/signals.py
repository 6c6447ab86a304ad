"""Signals the catalogue sends for other rooms (search listens; catalog knows nothing of it)."""

from django.dispatch import Signal

# Sent after a bulk import or load has committed, with `page_ids` of every published procedure.
procedures_published_in_bulk = Signal()
