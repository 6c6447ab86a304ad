import importlib
import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site_tree(transactional_db):
    """What the migrations create and a transactional test's flush removes: the root page, the
    home page with its site, and the root collection documents belong to."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page

    from cms.models import HomePage

    if not HomePage.objects.exists():
        migration = importlib.import_module("cms.migrations.0002_create_homepage")
        locale = Locale.objects.get_or_create(language_code="vi")[0]
        if not Page.objects.filter(depth=1).exists():
            Page.objects.create(
                title="Root",
                slug="root",
                path="0001",
                depth=1,
                numchild=1,
                url_path="/",
                locale=locale,
                content_type=ContentType.objects.get_for_model(Page),
            )
        migration.create_homepage(apps, None)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
