"""Template filters for the public record, whose dates travel as ISO 8601 strings."""

import datetime

from django import template

register = template.Library()


@register.filter
def vn_date(value: str | None) -> str:
    """ "2024-07-01" → "01/07/2024", the way Vietnamese documents write dates."""
    if not value:
        return ""
    return datetime.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
