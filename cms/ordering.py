"""Ordering by what the reader sees in the active language."""

from django.db.models import F, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf
from modeltranslation.utils import get_language


def by_shown(field: str) -> Combinable:
    """An order_by() term for a translated `field`: its value in the active language, else the
    Vietnamese one, which is what modeltranslation shows. Ordering by the bare name orders by
    the translation alone, whose empty values come first on SQLite and last on PostgreSQL."""
    language = get_language() or "vi"
    if language == "vi":
        return F(f"{field}_vi")
    return Coalesce(NullIf(f"{field}_{language}", Value("")), f"{field}_vi")
