from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap
from wagtail.documents import urls as wagtaildocs_urls

from search.api import SearchView, SuggestView
from search.views import search_page

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("catalog.api.urls")),
    path("api/v1/search/", SearchView.as_view(), name="api-search"),
    path("api/v1/suggest/", SuggestView.as_view(), name="api-suggest"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": Sitemap}}),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Vietnamese at /, English at /en/.
urlpatterns += i18n_patterns(
    path("tim-kiem/", search_page, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
