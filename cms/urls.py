from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.db import transaction
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap
from wagtail.documents import urls as wagtaildocs_urls

from catalog.form_bundle import procedure_forms_zip
from catalog.form_pages import FormDetailView, FormsIndexView
from forms_library.views import serve_form, version_download
from search.api import SearchView, SuggestView
from search.views import search_page

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document view, wrapped by the forms library to add its headers (same URL, name).
    re_path(r"^documents/(\d+)/(.*)$", serve_form, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("catalog.api.urls")),
    path("api/v1/", include("catalog.api.forms")),
    # Reads without a request transaction (as search.views.search_page says).
    path(
        "api/v1/search/", transaction.non_atomic_requests(SearchView.as_view()), name="api-search"
    ),
    path(
        "api/v1/suggest/",
        transaction.non_atomic_requests(SuggestView.as_view()),
        name="api-suggest",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": Sitemap}}),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "bieu-mau/<int:form_id>/phien-ban/<int:version_id>/<str:filename>",
        version_download,
        name="form-version",
    ),
    path(
        "bieu-mau/thu-tuc/<int:page_id>/tat-ca.zip",
        procedure_forms_zip,
        name="procedure-forms-zip",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Vietnamese at /, English at /en/.
urlpatterns += i18n_patterns(
    path("tim-kiem/", search_page, name="search"),
    path("bieu-mau/", FormsIndexView.as_view(), name="forms"),
    path("bieu-mau/<int:form_id>/", FormDetailView.as_view(), name="form-detail"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
