from modeltranslation.translator import TranslationOptions, register

from .models import HomePage, PortalSettings, StandardPage


@register(HomePage)
class HomePageTR(TranslationOptions):
    fields = ("intro",)


@register(StandardPage)
class StandardPageTR(TranslationOptions):
    fields = ("body",)


@register(PortalSettings)
class PortalSettingsTR(TranslationOptions):
    fields = ("portal_name", "contact", "one_stop_address", "opening_hours", "site_notice")
