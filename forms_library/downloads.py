"""How a form file travels to the browser: always as a download under its Vietnamese name, with
a strong ETag from its SHA-256, and headers that keep a browser from running or sniffing it.

Wagtail's document view sends the current file of a form (forms_library.views.serve_form adds
these headers to its answer); an earlier version of a form is sent by file_response."""

from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified

from cms.text import ascii_fold

from .inspection import FORMATS


def attachment_header(filename: str) -> str:
    """Content-Disposition for a Vietnamese file name (RFC 6266 with RFC 5987): browsers that read
    filename* get "Tờ khai.pdf"; older ones get the unaccented "To khai.pdf"."""
    fallback = "".join(c if c.isascii() and c.isprintable() else "_" for c in ascii_fold(filename))
    fallback = fallback.replace('"', "'").replace("\\", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def content_type_of(file_format: str) -> str:
    """The content type of a checked format; anything else is opaque bytes."""
    known = FORMATS.get(file_format)
    return known.content_type if known else "application/octet-stream"


def has_current_copy(request: HttpRequest, sha256: str) -> bool:
    """The browser sent back the ETag of this very file."""
    return bool(sha256) and f'"{sha256}"' in request.headers.get("If-None-Match", "")


def not_modified(sha256: str) -> HttpResponseNotModified:
    return HttpResponseNotModified(headers={"ETag": f'"{sha256}"'})


def add_file_headers(response: HttpResponse, sha256: str, shared: bool) -> HttpResponse:
    """`shared`: proxies may keep it (not for a form behind a login or password)."""
    if sha256:
        response["ETag"] = f'"{sha256}"'
    response["Cache-Control"] = "public, max-age=3600" if shared else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def file_response(
    request: HttpRequest,
    field_file,
    filename: str,
    file_format: str,
    sha256: str,
    shared: bool = True,
) -> HttpResponse:
    """The file as an attachment; a browser that already has it gets 304."""
    if has_current_copy(request, sha256):
        return not_modified(sha256)
    field_file.open("rb")
    response = FileResponse(field_file, content_type=content_type_of(file_format))
    response["Content-Disposition"] = attachment_header(filename)
    response["Content-Length"] = field_file.size
    return add_file_headers(response, sha256, shared)
