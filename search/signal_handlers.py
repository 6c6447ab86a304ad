"""The search index follows publishing (catalog sends; search listens)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalog.models import AgencyPage, ProcedurePage

from .indexing import schedule


@receiver(page_published, sender=ProcedurePage)
def index_published(sender, instance, **kwargs):
    schedule([instance.pk])


@receiver(page_unpublished, sender=ProcedurePage)
def remove_unpublished(sender, instance, **kwargs):
    schedule([instance.pk], removed=True)


@receiver(post_delete, sender=ProcedurePage)
def remove_deleted(sender, instance, **kwargs):
    schedule([instance.pk], removed=True)


@receiver(post_page_move)
def reindex_moved(sender, instance, **kwargs):
    """A moved page's URL (and, for an agency, its procedures' agency) changes."""
    moved = instance.specific
    if isinstance(moved, ProcedurePage):
        schedule([moved.pk])
    elif isinstance(moved, AgencyPage):
        schedule(ProcedurePage.objects.child_of(moved).values_list("pk", flat=True))
