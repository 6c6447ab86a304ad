"""Files that only a deleted row pointed at are removed once the deletion commits; a changed
collection restriction is seen at once; every form Wagtail serves counts as a download."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from wagtail.documents.models import document_served
from wagtail.models import Collection, CollectionViewRestriction

from .models import FormDocument, FormVersion, count_download
from .records import forget_hidden_collections


def delete_version_file(sender, instance: FormVersion, **kwargs) -> None:
    stored = instance.file
    if stored and not FormDocument.objects.filter(file=stored.name).exists():
        transaction.on_commit(lambda: stored.storage.delete(stored.name))


def delete_preview_file(sender, instance: FormDocument, **kwargs) -> None:
    preview = instance.preview
    if preview:
        transaction.on_commit(lambda: preview.storage.delete(preview.name))


def count_served_form(sender, instance: FormDocument, request: HttpRequest, **kwargs) -> None:
    """Wagtail sends document_served once the checks passed, for the file or its redirect."""
    if request.method == "GET":
        count_download([instance.pk])


def register_signal_handlers() -> None:
    document_served.connect(count_served_form, sender=FormDocument)
    post_delete.connect(delete_version_file, sender=FormVersion)
    post_delete.connect(delete_preview_file, sender=FormDocument)
    for model in (CollectionViewRestriction, Collection):
        post_save.connect(forget_hidden_collections, sender=model)
        post_delete.connect(forget_hidden_collections, sender=model)
