"""Requests this installation sends out (webhooks): https only, never to loopback, private,
link-local or reserved addresses unless settings.OUTBOUND_ALLOW_PRIVATE_NETWORKS says so (a
portal inside the province's own network), always with a timeout and without following
redirects (a redirect could point anywhere)."""

import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class RefusedURL(ValueError):
    """The address may not be called; the message says why, for the delivery log."""


@dataclass
class Answer:
    status: int
    text: str


def check_url(url: str) -> None:
    """Refuse what settings do not allow; resolve the host to check every address it has."""
    parts = urlsplit(url)
    allow_private = getattr(settings, "OUTBOUND_ALLOW_PRIVATE_NETWORKS", False)
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise RefusedURL(_("Chỉ gửi tới địa chỉ https: %(url)s") % {"url": url})
    if not parts.hostname:
        raise RefusedURL(_("Địa chỉ không có tên máy chủ: %(url)s") % {"url": url})
    if allow_private:
        return
    for address in _addresses(parts.hostname, parts.port or 443):
        if not address.is_global:
            raise RefusedURL(
                _("Không gửi tới địa chỉ nội bộ %(address)s (%(host)s).")
                % {"address": address, "host": parts.hostname}
            )


def _addresses(host: str, port: int) -> set:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as error:
        raise RefusedURL(_("Không tìm thấy máy chủ %(host)s.") % {"host": host}) from error
    return {ipaddress.ip_address(info[4][0]) for info in infos}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is answered as it is: the receiver must give its final URL


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST after the checks; a refused URL or a network failure raises, an HTTP error answers."""
    check_url(url)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    timeout = getattr(settings, "OUTBOUND_TIMEOUT_SECONDS", 10)
    try:
        with _opener.open(request, timeout=timeout) as response:
            return Answer(response.status, response.read(2000).decode(errors="replace"))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(2000).decode(errors="replace"))
