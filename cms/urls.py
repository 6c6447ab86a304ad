"""The root URLconf. Each room owns its routes; this module only mounts them, by dotted name, so
that the project room imports no other room."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Before Wagtail's documents URLs: the forms library's document view replaces theirs.
    path("", include("forms_library.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("catalog.api.urls")),
    path("api/v1/", include("catalog.api.forms")),
    path("api/v1/", include("search.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    # robots.txt and sitemap.xml. The language switch is a link to the other language's
    # address (no set_language POST: an anonymous page carries no CSRF token and no cookie).
    path("", include("frontend.urls")),
    path("", include("catalog.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Vietnamese at /, English at /en/.
urlpatterns += i18n_patterns(
    path("", include("search.i18n_urls")),
    path("", include("catalog.i18n_urls")),
    path("", include("frontend.i18n_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
