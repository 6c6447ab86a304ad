from modeltranslation.translator import TranslationOptions, register

from .models import AgencyPage, Field, LifeEvent, ProcedurePage, ProvincePage, Subject


@register(Field)
class FieldTR(TranslationOptions):
    fields = ("name",)


@register(Subject)
class SubjectTR(TranslationOptions):
    fields = ("name",)


@register(LifeEvent)
class LifeEventTR(TranslationOptions):
    fields = ("name", "description")


@register(ProvincePage)
class ProvincePageTR(TranslationOptions):
    fields = ("intro",)


@register(AgencyPage)
class AgencyPageTR(TranslationOptions):
    fields = ("address", "opening_hours")


@register(ProcedurePage)
class ProcedurePageTR(TranslationOptions):
    fields = (
        "full_title",
        "procedure_type",
        "steps",
        "channels",
        "documents",
        "processing_time",
        "fee",
        "competent_agency",
        "receiving_address",
        "result",
        "requirements",
        "keywords",
        "description",
        "start_button_text",
        "continues_on",
        "other_ways",
        "downtime_notice",
    )
