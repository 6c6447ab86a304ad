import os
import shutil

import pytest
from django.db import transaction
from django.utils import translation

from .factories import AgencyFactory, ProvinceFactory

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def province(db):
    return ProvinceFactory(
        code="lam-dong", title="Lâm Đồng", allowed_submission_domains="dichvucong.lamdong.gov.vn"
    )


@pytest.fixture
def agency(province):
    return AgencyFactory(province=province, code="STTTT", title="Sở Thông tin và Truyền thông")


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


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium; say how to get it, and fail in CI rather than skip."""
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
def fresh_collection_restrictions():
    """The forms library keeps restricted collections a few seconds; a rolled-back test's
    restriction (whose deletion sends no signal) must not outlive it."""
    from forms_library.records import forget_hidden_collections

    forget_hidden_collections()
