"""The forms library's file routes, outside the language prefix (a file is the same in every
language). Included before Wagtail's documents URLs: its document view takes their place."""

from django.urls import path, re_path

from .views import serve_form, version_download

urlpatterns = [
    # Wagtail's document view, wrapped to add the library's headers (same URL, same name).
    re_path(r"^documents/(\d+)/(.*)$", serve_form, name="wagtaildocs_serve"),
    path(
        "bieu-mau/<int:form_id>/phien-ban/<int:version_id>/<str:filename>",
        version_download,
        name="form-version",
    ),
]
