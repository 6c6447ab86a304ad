"""Keep the denormalised agency/province keys right when pages move in the tree, and when a
revision saved before a move is published."""

from django.dispatch import receiver
from wagtail.signals import page_published, post_page_move

from .models import AgencyPage, ProcedurePage


@receiver(post_page_move)
def refresh_tree_keys(sender, instance, **kwargs):
    moved = instance.specific
    if isinstance(moved, AgencyPage):
        moved.province = moved.find_province()
        moved.save(update_fields=["province"])
        procedures = ProcedurePage.objects.child_of(moved)
        procedures.update(province=moved.province)
    elif isinstance(moved, ProcedurePage):
        moved.place_in_tree(moved=True)
        ProcedurePage.objects.filter(pk=moved.pk).update(
            agency=moved.agency, province=moved.province
        )


@receiver(page_published, sender=ProcedurePage)
def refresh_published_tree_keys(sender, instance: ProcedurePage, **kwargs):
    """A revision holds the agency and province of the day it was saved: publishing one saved
    before the page or its agency moved must not bring them back (the tree decides)."""
    if _keys_match_parent(instance):
        return  # a page just written under its agency (an import's): nothing to read
    kept = (instance.agency_id, instance.province_id)
    instance.place_in_tree(moved=True)
    if (instance.agency_id, instance.province_id) != kept:
        ProcedurePage.objects.filter(pk=instance.pk).update(
            agency=instance.agency, province=instance.province
        )


def _keys_match_parent(page: ProcedurePage) -> bool:
    """Whether the agency already loaded on the page is its parent and names its province. A
    page rebuilt from a revision has only the keys it was saved with, and is read again."""
    if not ProcedurePage.agency.is_cached(page) or page.agency is None:
        return False
    agency = page.agency
    return page.path[: -page.steplen] == agency.path and page.province_id == agency.province_id
