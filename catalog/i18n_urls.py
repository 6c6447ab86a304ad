"""Catalog's pages served in each language (the root URLconf mounts them in i18n_patterns): the
forms library's pages with the procedures that use each form."""

from django.urls import path

from .form_pages import FormDetailView, FormsIndexView

urlpatterns = [
    path("bieu-mau/", FormsIndexView.as_view(), name="forms"),
    path("bieu-mau/<int:form_id>/", FormDetailView.as_view(), name="form-detail"),
]
