"""Catalog's pages served in each language (the root URLconf mounts them in i18n_patterns): the
forms library's pages with the procedures that use each form, browsing by field and by life
event, and the application status lookup."""

from django.urls import path

from . import browse_views
from .form_pages import FormDetailView, FormsIndexView

urlpatterns = [
    path("bieu-mau/", FormsIndexView.as_view(), name="forms"),
    path("bieu-mau/<int:form_id>/", FormDetailView.as_view(), name="form-detail"),
    path("linh-vuc/", browse_views.field_index, name="fields"),
    path("linh-vuc/<str:code>/", browse_views.field_detail, name="field-detail"),
    path("su-kien/", browse_views.life_event_index, name="life-events"),
    path("su-kien/<str:code>/", browse_views.life_event_detail, name="life-event-detail"),
    path("tra-cuu-ho-so/", browse_views.status_lookup, name="status-lookup"),
]
