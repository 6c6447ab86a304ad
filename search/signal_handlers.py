"""The search index follows publishing (catalog sends; search listens).

A procedure's document also holds what its parents and taxonomies say: its URL (the province's
and the agency's slugs), its province and agency codes and the agency's name, its field's code
and name, its subjects' names. When one of those changes, every procedure below the page or
citing the taxonomy is reindexed, in bulk, once the transaction commits (as dis-wagtail's
search signal handlers walk a page's descendants)."""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from catalog.models import AgencyPage, Field, ProcedurePage, ProvincePage, Subject
from catalog.publishing import pages_indexed

from .indexing import index_pages, schedule

PARENT_SIGNALS = [page_published, page_unpublished, page_slug_changed]


@receiver(page_published, sender=ProcedurePage)
def index_published(sender, instance, **kwargs):
    schedule([instance.pk])


@receiver(pages_indexed, sender=ProcedurePage)
def index_read_pages(sender, pages, **kwargs):
    """Procedures published in bulk: indexed from the read Wagtail's indexes were written from."""
    index_pages(pages)


@receiver(page_unpublished, sender=ProcedurePage)
def remove_unpublished(sender, instance, **kwargs):
    schedule([instance.pk], removed=True)


@receiver(post_delete, sender=ProcedurePage)
def remove_deleted(sender, instance, **kwargs):
    schedule([instance.pk], removed=True)


def reindex_below(page: Page) -> None:
    """Reindex the published procedures at or below this page (unpublished ones are dropped)."""
    below = ProcedurePage.objects.live().descendant_of(page, inclusive=True)
    schedule(below.values_list("pk", flat=True))


@receiver(PARENT_SIGNALS, sender=AgencyPage)
@receiver(PARENT_SIGNALS, sender=ProvincePage)
def reindex_parent_page(sender, instance, **kwargs):
    """An agency or a province published (renamed, re-coded, re-slugged), unpublished, or
    re-slugged by a plain save: its procedures' documents change."""
    reindex_below(instance)


@receiver(post_page_move)
def reindex_moved(sender, instance, **kwargs):
    """A moved page's URL changes, and a moved agency's procedures may change province."""
    reindex_below(instance)


def reindex_citing(procedures: QuerySet[ProcedurePage]) -> None:
    schedule(procedures.live().values_list("pk", flat=True))


@receiver(post_save, sender=Field)
def reindex_field(sender, instance: Field, created: bool, **kwargs):
    """A field renamed or re-coded: its procedures' hits and facets name it."""
    if not created:
        reindex_citing(ProcedurePage.objects.filter(field=instance))


@receiver(post_save, sender=Subject)
def reindex_subject(sender, instance: Subject, created: bool, **kwargs):
    """A subject renamed: the procedures it is cited by hold its name in their text."""
    if not created:
        reindex_citing(ProcedurePage.objects.filter(subjects=instance))
