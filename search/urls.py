"""The search API, mounted under /api/v1/ beside the feed. The search page, served in each
language, is in i18n_urls.py."""

from django.urls import path

from .api import SearchView, SuggestView

urlpatterns = [
    path("search/", SearchView.as_view(), name="api-search"),
    path("suggest/", SuggestView.as_view(), name="api-suggest"),
]
