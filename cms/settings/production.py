"""Production: base settings as they are (SECRET_KEY required, DEBUG off, secure cookies)."""

from .base import *  # noqa: F403

if "dev-only" in SECRET_KEY or "test-only" in SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("A development or test SECRET_KEY cannot run in production.")  # noqa: F405
