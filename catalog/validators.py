"""Rules shared by the page editor and the importer, so both give the same message.

Messages are lazy: they render in whichever language is active when shown, which lets the
importer print each one in Vietnamese and English.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .levels import needs_submission_url

NEEDS_URL = _("Mức độ 3 trở lên phải có địa chỉ nộp trực tuyến (https).")
NOT_HTTPS = _("Địa chỉ nộp trực tuyến phải bắt đầu bằng https://.")
DOMAIN_NOT_ALLOWED = _(
    "Tên miền %(host)s không thuộc các tên miền được phép của tỉnh: %(allowed)s."
)


def host_is_allowed(host: str, allowed_domains: list[str]) -> bool:
    """A host is allowed when it is one of the domains or a subdomain of one."""
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in allowed_domains)


def submission_url_error(
    url: str, level: int | None, allowed_domains: list[str]
) -> ValidationError | None:
    """Why a submission URL is unacceptable for this level, or None when it is fine."""
    if not url:
        return ValidationError(NEEDS_URL) if needs_submission_url(level) else None
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname:
        return ValidationError(NOT_HTTPS)
    if allowed_domains and not host_is_allowed(parts.hostname, allowed_domains):
        params = {"host": parts.hostname, "allowed": ", ".join(allowed_domains)}
        return ValidationError(DOMAIN_NOT_ALLOWED, params=params)
    return None


def parse_domain_list(text: str) -> list[str]:
    """Domains written one a line (or separated by commas/spaces), lower-cased, without scheme."""
    domains = []
    for raw in text.replace(",", "\n").split():
        domain = raw.strip().lower()
        if "://" in domain:
            domain = urlsplit(domain).hostname or ""
        domain = domain.strip("/.")
        if domain and domain not in domains:
            domains.append(domain)
    return domains
