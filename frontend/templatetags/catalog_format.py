"""Template filters for the public record, whose dates travel as ISO 8601 strings, and for the
procedure page's outbound links, language marks and structured data."""

import datetime

from django import template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from catalog.jsonld import government_service, script_json
from catalog.models.procedure import falls_back_to_vietnamese

register = template.Library()


@register.filter
def vn_date(value: str | None) -> str:
    """ "2024-07-01" → "01/07/2024", the way Vietnamese documents write dates."""
    if not value:
        return ""
    return datetime.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")


@register.filter
def https_url(value: str | None) -> str:
    """The URL when it is https, else "": a link out is only ever rendered over https."""
    return value if isinstance(value, str) and value.startswith("https://") else ""


@register.filter
def vi_lang(field_name: str, vi_only: set[str]) -> SafeString:
    """` lang="vi"` on content shown in Vietnamese because the page's language has none."""
    return mark_safe(' lang="vi"') if field_name in vi_only else mark_safe("")


@register.filter
def fallback_lang(obj, field_name: str) -> SafeString:
    """` lang="vi"` on a name shown in a list when the page is not in Vietnamese and the object
    has no translation of that field (modeltranslation then shows the Vietnamese)."""
    language = translation.get_language() or "vi"
    if language.startswith("vi") or not falls_back_to_vietnamese(obj, field_name, language):
        return mark_safe("")
    return mark_safe(' lang="vi"')


@register.simple_tag
def procedure_jsonld(record: dict) -> SafeString:
    """The schema.org GovernmentService of a procedure, as a script element."""
    data = script_json(government_service(record))
    return mark_safe(f'<script type="application/ld+json">{data}</script>')
