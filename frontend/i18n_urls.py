"""The frontend's pages, served in each language (the root URLconf mounts them in i18n_patterns),
at Vietnamese addresses."""

from django.urls import path

from .views import help_levels, help_search, site_map

urlpatterns = [
    path("huong-dan/muc-do-truc-tuyen/", help_levels, name="help-levels"),
    path("huong-dan/cach-tim-kiem/", help_search, name="help-search"),
    path("so-do-trang/", site_map, name="site-map"),
]
