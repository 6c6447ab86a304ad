"""Catalog's routes outside the language prefix: the ZIP of a procedure's forms. Its pages in
each language are in i18n_urls.py, the feed in api/."""

from django.urls import path

from .form_bundle import procedure_forms_zip

urlpatterns = [
    path(
        "bieu-mau/thu-tuc/<int:page_id>/tat-ca.zip",
        procedure_forms_zip,
        name="procedure-forms-zip",
    ),
]
