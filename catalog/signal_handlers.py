"""Keep the denormalised agency/province keys right when pages move in the tree."""

from django.dispatch import receiver
from wagtail.signals import post_page_move

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
