import os
import shutil

import pytest

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
