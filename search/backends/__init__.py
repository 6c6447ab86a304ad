"""Which backend answers: Elasticsearch when ELASTICSEARCH_URL is set, else the database.

When Elasticsearch fails, the database backend answers and the results say so (degraded).
"""

import logging
from functools import cache

from django.conf import settings

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
    primary = configured_backend()
    try:
        return primary.search(query)
    except SearchUnavailable:
        logger.warning("Search backend %s unavailable; answering from the database", primary.name)
        results = database_backend().search(query)
        results.degraded = True
        return results


def suggest(prefix: str, province: str | None = None, limit: int = 10) -> list[Suggestion]:
    try:
        return configured_backend().suggest(prefix, province, limit)
    except SearchUnavailable:
        return database_backend().suggest(prefix, province, limit)
