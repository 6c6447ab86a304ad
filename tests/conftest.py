import importlib
import os
import shutil

import pytest
from django.db import transaction
from django.utils import translation

from .factories import AgencyFactory, building_field, civil_field, lam_dong_province
from .search.engines import ELASTICSEARCH_URL, HOW_TO_START, node_description

CHROMIUM = "/usr/bin/chromium"
# Set by .ci/run, which installs every system package: a test that would skip fails instead.
REQUIRE_SYSTEM_PACKAGES = "REQUIRE_SYSTEM_PACKAGES"


def pytest_report_header(config):
    """Which Elasticsearch node the search suites use, or how to start one."""
    return node_description()


def pytest_terminal_summary(terminalreporter):
    if not ELASTICSEARCH_URL:
        terminalreporter.write_line(HOW_TO_START)


@pytest.fixture
def province(db):
    return lam_dong_province()


@pytest.fixture
def agency(province):
    return AgencyFactory(province=province, code="STTTT", title="Sở Thông tin và Truyền thông")


@pytest.fixture
def building(db):
    return building_field()


@pytest.fixture
def civil(db):
    return civil_field()


@pytest.fixture
def database_search(settings):
    """The database backend answers, whatever the environment says about Elasticsearch."""
    from search.backends import configured_backend

    settings.ELASTICSEARCH_URL = ""
    configured_backend.cache_clear()
    yield
    configured_backend.cache_clear()


@pytest.fixture(autouse=True)
def vietnamese():
    """Each test starts in Vietnamese: a request with ?lang=en leaves English active on the thread,
    and translated fields (title, title_en…) read and write the active language."""
    with translation.override("vi"):
        yield


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """One transaction around a test module, rolled back at its end.

    Module-scoped fixtures that depend on it build their data once; each test still runs in its
    own savepoint (the `db` fixture), so what a test changes is undone before the next one.
    """
    with django_db_blocker.unblock(), translation.override("vi"), transaction.atomic():
        yield
        transaction.set_rollback(True)


def missing_debian_package(package: str, *needs: str) -> str | None:
    """Why a test cannot run here: its programs (looked up on PATH) or absolute paths that this
    machine lacks, and the Debian package that brings them; None when nothing is missing."""
    missing = [
        need
        for need in needs
        if not (os.path.exists(need) if os.path.isabs(need) else shutil.which(need))
    ]
    if not missing:
        return None
    return f"{', '.join(missing)} not installed: apt-get install {package}"


def skip_without_debian_packages(items) -> None:
    """@pytest.mark.requires_debian(package, *programs_or_paths): skip where one is missing,
    except under REQUIRE_SYSTEM_PACKAGES, where pytest_runtest_setup fails the test instead."""
    if os.environ.get(REQUIRE_SYSTEM_PACKAGES):
        return
    for item in items:
        for marker in item.iter_markers("requires_debian"):
            if reason := missing_debian_package(*marker.args):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """In CI a missing system package fails the tests that need it, before their fixtures run."""
    if not os.environ.get(REQUIRE_SYSTEM_PACKAGES):
        return
    for marker in item.iter_markers("requires_debian"):
        if reason := missing_debian_package(*marker.args):
            pytest.fail(f"{reason} ({REQUIRE_SYSTEM_PACKAGES} is set)", pytrace=False)


def pytest_collection_modifyitems(config, items):
    """Tests that need system packages say which to install; browser tests need Debian's
    Chromium: say how to get it, and fail in CI rather than skip."""
    skip_without_debian_packages(items)
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError(f"{CHROMIUM} is missing: apt-get install chromium")
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} missing: install it with `apt-get install chromium`"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fresh_record_cache():
    """Records are kept under their page's id and latest change id, and a rolled-back test's ids
    are given again to the next test's pages (SQLite): each test starts with none kept."""
    from django.core.cache import caches

    caches["records"].clear()


@pytest.fixture(autouse=True)
def fresh_collection_restrictions():
    """The forms library keeps restricted collections a few seconds; a rolled-back test's
    restriction (whose deletion sends no signal) must not outlive it."""
    from forms_library.records import forget_hidden_collections

    forget_hidden_collections()


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
