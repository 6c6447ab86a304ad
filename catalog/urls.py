"""Catalog's routes outside the language prefix: the ZIP of a procedure's forms, its page's QR
code (the language is a parameter), the Atom feed of changes and the service worker (at the
root, to cover every page). Its pages in each language are in i18n_urls.py, the feed in api/."""

from django.urls import path

from .feeds import ProcedureChangesFeed
from .form_bundle import procedure_forms_zip
from .offline import service_worker
from .qr import procedure_qr

urlpatterns = [
    path(
        "bieu-mau/thu-tuc/<int:page_id>/tat-ca.zip",
        procedure_forms_zip,
        name="procedure-forms-zip",
    ),
    path("thu-tuc/<int:page_id>/qr.svg", procedure_qr, name="procedure-qr"),
    path("sw.js", service_worker, name="service-worker"),
    path("feeds/procedures.atom", ProcedureChangesFeed(), name="procedure-changes-feed"),
]
