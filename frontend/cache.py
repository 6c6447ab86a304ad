"""Purging the page cache (wagtail-cache) when what a page shows changes.

A page shows more than itself: a procedure page shows its agency, fields, subjects, life events
and forms; listings show their children; every page shows the portal settings in its footer. So
any such change clears the whole page cache, which is simple and always right, and cheap next to
a publication: the cache fills again as pages are asked for.
"""

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtailcache.cache import clear_cache

from catalog.models import Field, LifeEvent, Subject
from cms.middleware import CONTENT_CHANGED_KEY
from cms.models import PortalSettings
from forms_library.models import FormDocument

# Models shown on pages besides the pages themselves.
SHOWN_MODELS: tuple[type[Model], ...] = (FormDocument, Field, Subject, LifeEvent, PortalSettings)


def purge_page_cache(**kwargs) -> None:
    """Clear once the change is committed: cleared earlier, a request could cache the old
    content again before the commit."""
    transaction.on_commit(forget_cached_pages)


def forget_cached_pages() -> None:
    clear_cache()  # a no-op when the page cache is off: the pages' Last-Modified still moves
    caches[settings.WAGTAIL_CACHE_BACKEND].delete(CONTENT_CHANGED_KEY)


def purge_on_page_delete(instance: Model, **kwargs) -> None:
    if isinstance(instance, Page):
        purge_page_cache()


def connect() -> None:
    """Called from FrontendConfig.ready()."""
    page_published.connect(purge_page_cache, dispatch_uid="frontend-cache-published")
    page_unpublished.connect(purge_page_cache, dispatch_uid="frontend-cache-unpublished")
    post_page_move.connect(purge_page_cache, dispatch_uid="frontend-cache-moved")
    # Sent once per model class of the deleted page and its ancestors' classes: any Page.
    post_delete.connect(purge_on_page_delete, dispatch_uid="frontend-cache-page-delete")
    for model in SHOWN_MODELS:
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            uid = f"frontend-cache-{model.__name__}-{name}"
            signal.connect(purge_page_cache, sender=model, dispatch_uid=uid)
