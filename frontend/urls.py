"""The frontend's routes outside the language prefix: robots.txt and sitemap.xml (one sitemap
lists both languages). Its pages in each language are in i18n_urls.py."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from .sitemaps import SITEMAPS
from .views import robots_txt

urlpatterns = [
    path("robots.txt", robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
