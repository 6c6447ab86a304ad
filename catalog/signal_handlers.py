"""Keep the denormalised agency/province keys right when pages move in the tree, and when a
revision saved before a move is published; log what each change does to the public catalogue."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from forms_library.models import FormDocument

from . import changes
from .form_citations import citing_procedure_ids
from .models import AgencyPage, Field, LifeEvent, ProcedurePage, ProvincePage, Subject


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


# The change log (catalog.changes) is written after the tree keys above are put right: these
# receivers are connected after them, and a change reads the page as the database now has it.


@receiver(page_published, sender=ProcedurePage)
def log_procedure_published(sender, instance: ProcedurePage, **kwargs):
    changes.note([instance.pk])


@receiver(page_unpublished, sender=ProcedurePage)
def log_procedure_unpublished(sender, instance: ProcedurePage, **kwargs):
    # Wagtail also says "unpublished" of a live page about to be deleted: its post_delete logs
    # the tombstone, rather than an update now.
    if not instance.live:
        changes.note([instance.pk])


@receiver(pre_delete, sender=ProcedurePage)
def remember_citing_procedures(sender, instance: ProcedurePage, **kwargs):
    """Read before the deletion clears them: the procedures naming this one as successor or
    related lose it from their records."""
    instance._citing_procedures = changes.procedures_citing([instance.pk])


@receiver(post_delete, sender=ProcedurePage)
def log_procedure_deleted(sender, instance: ProcedurePage, **kwargs):
    changes.note([instance.pk, *getattr(instance, "_citing_procedures", ())])


@receiver([page_published, page_unpublished, page_slug_changed], sender=AgencyPage)
@receiver([page_published, page_unpublished, page_slug_changed], sender=ProvincePage)
def log_changes_below(sender, instance: Page, **kwargs):
    """An agency or a province renamed, re-coded, re-slugged or unpublished: the records of its
    procedures name it and link below it."""
    changes.note(_procedures_below(instance))


@receiver(post_page_move)
def log_moved(sender, instance: Page, **kwargs):
    changes.note(_procedures_below(instance))


TAXONOMY_LOOKUPS = {Field: "field", Subject: "subjects", LifeEvent: "life_events"}


@receiver(post_save, sender=Field)
@receiver(post_save, sender=Subject)
@receiver(post_save, sender=LifeEvent)
def log_taxonomy_renamed(sender, instance, created: bool, **kwargs):
    """A field, subject or life event renamed or re-coded: the records citing it name it."""
    if created:
        return
    lookup = TAXONOMY_LOOKUPS[sender]
    citing = ProcedurePage.objects.filter(**{lookup: instance}).values_list("pk", flat=True)
    changes.note(citing)


@receiver(post_save, sender=FormDocument)
def log_form_changed(sender, instance: FormDocument, created: bool, **kwargs):
    """A form's file, name or size is part of the records of the procedures citing it."""
    if not created:
        changes.note(citing_procedure_ids([instance.pk]).get(instance.pk, ()))


def _procedures_below(page: Page) -> list[int]:
    below = ProcedurePage.objects.descendant_of(page, inclusive=True)
    return list(below.values_list("pk", flat=True))
