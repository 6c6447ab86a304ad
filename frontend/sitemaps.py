"""sitemap.xml: every live public page of the request's site, the help and site map pages, the
search and the forms library, each with its Vietnamese, English and x-default (Vietnamese)
addresses."""

from datetime import datetime

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import QuerySet
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from forms_library.models import FormDocument
from forms_library.records import public_forms

# Django's sitemap framework writes one <url> per language with every language's alternate.
I18N = {"i18n": True, "alternates": True, "x_default": True}

# The pages of frontend.i18n_urls, the search and the forms library, by URL name.
STATIC_URL_NAMES = ("search", "forms", "help-levels", "help-search", "site-map")


class PageSitemap(WagtailSitemap):
    """Wagtail's page list for the request's site, with Django's i18n alternates (Wagtail's own
    sitemap writes one address per page)."""

    i18n = I18N["i18n"]
    alternates = I18N["alternates"]
    x_default = I18N["x_default"]

    def location(self, page: Page) -> str:
        # A path: Django prefixes the request's scheme and host. Reversed under the language
        # Django activates for each entry, so English gets /en/.
        return page.get_url_parts(self.request)[2]

    def _urls(self, page, protocol, domain):
        return DjangoSitemap._urls(self, page, protocol, domain)


class StaticPagesSitemap(DjangoSitemap):
    i18n = I18N["i18n"]
    alternates = I18N["alternates"]
    x_default = I18N["x_default"]

    def items(self) -> tuple[str, ...]:
        return STATIC_URL_NAMES

    def location(self, name: str) -> str:
        return reverse(name)


class FormsSitemap(DjangoSitemap):
    i18n = I18N["i18n"]
    alternates = I18N["alternates"]
    x_default = I18N["x_default"]

    def items(self) -> QuerySet[FormDocument]:
        return public_forms().order_by("pk")

    def location(self, form: FormDocument) -> str:
        return reverse("form-detail", args=[form.pk])

    def lastmod(self, form: FormDocument) -> datetime:
        return form.updated_at


SITEMAPS = {"pages": PageSitemap, "static": StaticPagesSitemap, "forms": FormsSitemap}
