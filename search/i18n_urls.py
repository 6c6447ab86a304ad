"""The search page, served in each language (the root URLconf mounts it in i18n_patterns)."""

from django.urls import path

from .views import search_page

urlpatterns = [
    path("tim-kiem/", search_page, name="search"),
]
