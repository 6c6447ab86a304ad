"""The frontend's routes outside the language prefix: robots.txt and sitemap.xml (one sitemap
lists both languages), and the embed, whose ?lang= says its language (a portal's iframe or script
has one fixed address). Its pages in each language are in i18n_urls.py."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from .embed import embed_catalog, embed_widget
from .sitemaps import SITEMAPS
from .views import robots_txt

urlpatterns = [
    path("robots.txt", robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("embed/catalog/", embed_catalog, name="embed-catalog"),
    path("embed/widget.js", embed_widget, name="embed-widget"),
]
