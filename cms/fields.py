"""A StreamField whose block definitions stay out of migrations.

Block changes then need no migration; the blocks are read from the model at run time (the
pattern of ONS's dis-wagtail). Data migrations that read stream data use the live model.
"""

from wagtail.fields import StreamField as WagtailStreamField


class StreamField(WagtailStreamField):
    def deconstruct(self):
        name, _path, _args, kwargs = super().deconstruct()
        kwargs.pop("block_lookup", None)
        return name, "cms.fields.StreamField", [[]], kwargs
