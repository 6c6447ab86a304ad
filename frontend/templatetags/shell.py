"""The site's shell: the language links and the head's canonical, alternate, description and
Open Graph facts, from the request and, on a Wagtail page, the page."""

import re
from urllib.parse import urlencode, urlsplit

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from django.utils.text import Truncator
from wagtail.models import Page
from wagtailcache.settings import wagtailcache_settings

register = template.Library()

OG_LOCALES = {"vi": "vi_VN", "en": "en_US"}
DESCRIPTION_WORDS = 40


def without_language_prefix(path: str) -> str:
    """The Vietnamese (unprefixed) form of a path: /en/x/ → /x/."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return "/" + path[len(prefix) :]
    return path


def in_language(full_path: str, code: str) -> str:
    """The same page in another language. translate_url() reverses the resolved route in that
    language; a path that resolves to nothing (a 404) only changes its language prefix."""
    translated = translate_url(full_path, code)
    current = translation.get_language()
    if translated != full_path or code == current:
        return translated
    parts = urlsplit(full_path)
    path = without_language_prefix(parts.path)
    if code != settings.LANGUAGE_CODE:
        path = f"/{code}{path}"
    return path + (f"?{parts.query}" if parts.query else "")


def is_tracking(name: str) -> bool:
    """utm_*, fbclid, gclid…: the parameters the page cache ignores too."""
    return any(re.match(regex, name) for regex in wagtailcache_settings.WAGTAIL_CACHE_IGNORE_QS)


def canonical_path(request: HttpRequest) -> str:
    kept = [(k, v) for k, v in request.GET.items() if not is_tracking(k)]
    return request.path + (f"?{urlencode(kept)}" if kept else "")


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link a language, to this page in that language, named in its own tongue."""
    request = context["request"]
    current = translation.get_language()
    full_path = canonical_path(request)
    return [
        {"code": c, "name": name, "url": in_language(full_path, c), "current": c == current}
        for c, name in settings.LANGUAGES
    ]


def wagtail_page(context) -> Page | None:
    page = context.get("page")
    return page if isinstance(page, Page) else None


def page_description(page: Page | None) -> str:
    if page is None:
        return ""
    text = page.search_description or getattr(page, "intro", "") or page.title
    return Truncator(" ".join(str(text).split())).words(DESCRIPTION_WORDS)


@register.simple_tag(takes_context=True)
def head_facts(context) -> dict:
    """What the head says about this page: canonical and alternate addresses (absolute),
    title and description for search engines and sharing, the Open Graph locale."""
    request = context["request"]
    page = wagtail_page(context)
    path = canonical_path(request)
    current = translation.get_language()
    alternates = [
        {"code": code, "url": request.build_absolute_uri(in_language(path, code))}
        for code, _name in settings.LANGUAGES
    ]
    default = in_language(path, settings.LANGUAGE_CODE)
    alternates.append({"code": "x-default", "url": request.build_absolute_uri(default)})
    return {
        "canonical": request.build_absolute_uri(path),
        "alternates": alternates,
        "title": (page.seo_title or page.title) if page else context.get("title", ""),
        "description": page_description(page) or context.get("description", ""),
        "og_locale": OG_LOCALES.get(current, current),
        "og_locale_alternates": [OG_LOCALES[c] for c in OG_LOCALES if c != current],
        "page": page,
    }
