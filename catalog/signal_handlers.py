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
    kept = (instance.agency_id, instance.province_id)
    instance.place_in_tree(moved=True)
    if (instance.agency_id, instance.province_id) != kept:
        ProcedurePage.objects.filter(pk=instance.pk).update(
            agency=instance.agency, province=instance.province
        )
