from django.db import transaction
from django.dispatch import receiver

from catalog.changes import changes_logged

from .webhooks import queue_deliveries


@receiver(changes_logged)
def push_changes(sender, changes, **kwargs):
    """Once the changes are committed: a rolled-back publication is pushed to no one."""
    ids = [change.id for change in changes]
    transaction.on_commit(lambda: queue_deliveries(ids))
