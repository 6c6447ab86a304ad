"""Which backend answers: Elasticsearch when ELASTICSEARCH_URL is set, else the database.

When Elasticsearch fails, the database backend answers and the results say so (degraded).
"""

import logging
from dataclasses import replace
from functools import cache

from django.conf import settings

from .. import text
from ..filler import without_filler
from .base import SearchBackend, SearchQuery, SearchResults, SearchUnavailable, Suggestion
from .database import DatabaseBackend

logger = logging.getLogger(__name__)


def database_backend() -> DatabaseBackend:
    return DatabaseBackend()


@cache
def configured_backend() -> SearchBackend:
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        return database_backend()
    from .elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(url, prefix=settings.ELASTICSEARCH_INDEX_PREFIX)


def writing_backends() -> list[SearchBackend]:
    """Every backend kept up to date: the database one always, so that it can stand in."""
    primary = configured_backend()
    return [primary] if isinstance(primary, DatabaseBackend) else [primary, database_backend()]


def search(query: SearchQuery) -> SearchResults:
    """The configured backend's answer, or the database's when it is unavailable (degraded).
    A query no procedure holds every word of never comes back empty while one of its content
    words is in the catalogue: it is searched again without the filler of how people ask, then
    for the procedures holding most of those words (search.ranking)."""
    primary = configured_backend()
    try:
        return never_empty(primary, query)
    except SearchUnavailable:
        logger.warning("Search backend %s unavailable; answering from the database", primary.name)
        results = never_empty(database_backend(), query)
        results.degraded = True
        return results


def never_empty(backend: SearchBackend, query: SearchQuery) -> SearchResults:
    """`backend`'s answer, searched again without filler, then for most words, while empty."""
    results = backend.search(query)
    if results.total or text.parse_query(query.text).code:
        return results
    content = without_filler(query.text)
    if not content:
        return results
    if content != text.parse_query(query.text).exact:
        relaxed = backend.search(replace(query, text=content))
        if relaxed.total:
            return _instead(relaxed, content, results.suggestion, partial=False)
    most = backend.search(replace(query, text=content, any_words=True))
    if not most.total:
        return results
    return _instead(most, content, results.suggestion, partial=True)


def _instead(results: SearchResults, searched: str, suggestion, partial: bool) -> SearchResults:
    results.searched, results.partial = searched, partial
    results.suggestion = results.suggestion or suggestion
    return results


def suggest(prefix: str, province: str | None = None, limit: int = 10) -> list[Suggestion]:
    try:
        return configured_backend().suggest(prefix, province, limit)
    except SearchUnavailable:
        return database_backend().suggest(prefix, province, limit)
