"""A StreamField whose block definitions stay out of migrations.

Block changes then need no migration; the blocks are read from the model at run time (the
pattern of ONS's dis-wagtail). Data migrations that read stream data use the live model.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.functional import cached_property
from wagtail.fields import StreamField as WagtailStreamField


class StreamField(WagtailStreamField):
    @cached_property
    def json_field(self) -> models.JSONField:
        # Wagtail builds a new JSONField on every access (several times a page save).
        return models.JSONField(encoder=DjangoJSONEncoder)

    def deconstruct(self):
        name, _path, _args, kwargs = super().deconstruct()
        kwargs.pop("block_lookup", None)
        return name, f"cms.fields.{type(self).__name__}", [[]], kwargs


class PlainStreamField(StreamField):
    """A stream of text blocks only (no page, document, image or snippet choosers): it holds
    no references, so Wagtail's reference index need not walk it on every save."""

    def extract_references(self, value):
        return []
