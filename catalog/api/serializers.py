from rest_framework import serializers

from ..records import procedure_record


class ProcedureSerializer(serializers.BaseSerializer):
    """A thin view of the one public record (catalog.records.procedure_record)."""

    def to_representation(self, instance) -> dict:
        return procedure_record(instance, request=self.context.get("request"))
