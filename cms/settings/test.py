"""Test settings: fast hashing, in-memory cache, media in a temporary folder."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-key")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
# Tests run with ELASTICSEARCH_URL publish too: never into an installation's own indices.
os.environ.setdefault("ELASTICSEARCH_INDEX_PREFIX", "thutuc-test-site")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="thutuc-test-media-")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
STATIC_ROOT = tempfile.mkdtemp(prefix="thutuc-test-static-")
# Tests that are not about the page cache must see each change at once (their transactions never
# commit, so the purge never runs); tests/frontend/test_page_cache.py turns it on.
WAGTAIL_CACHE = False
CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}  # noqa: F405
CACHES["records"] = {  # noqa: F405 - cleared before each test (tests/conftest.py)
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "records",
}
# Each view written at once, so that a test sees its count (tests/catalog/test_home.py checks
# the adding up).
VIEW_COUNTS_FLUSH_EVERY = 1
# The whole suite comes from one address: only tests/portals/test_throttling.py limits it.
FEED_ANONYMOUS_RATE = "100000/min"
