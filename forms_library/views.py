"""Downloads of forms (one file, an earlier version, or every form of a procedure as a ZIP) and the
public forms pages (the library with search and filters, and one form with its history)."""

import datetime
import json
import tempfile
import zipfile
from urllib.parse import quote

from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.documents.models import document_served

from catalog.models import ProcedurePage, ProvincePage
from catalog.records import public_procedures
from cms.text import ascii_fold, folded

from .inspection import FORMATS
from .models import FormDocument, FormVersion, Language, count_download
from .records import (
    citing_procedure_ids,
    form_record,
    forms_cited_by,
    is_public,
    public_forms,
    version_record,
)

PAGE_SIZE = 30
SPOOL_BYTES = 16 * 1024 * 1024  # a bundle bigger than this is built on disk, not in memory


def attachment_header(filename: str) -> str:
    """Content-Disposition for a Vietnamese file name (RFC 6266 with RFC 5987): browsers that read
    filename* get "Tờ khai.pdf"; older ones get the unaccented "To khai.pdf"."""
    fallback = "".join(c if c.isascii() and c.isprintable() else "_" for c in ascii_fold(filename))
    fallback = fallback.replace('"', "'").replace("\\", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(
    request: HttpRequest,
    field_file,
    filename: str,
    file_format: str,
    etag: str,
    shared: bool = True,
):
    """The file as an attachment, with a strong ETag: a browser that already has it gets 304.
    `shared`: proxies may keep it (not for a form behind a login or password)."""
    quoted = f'"{etag}"'
    if etag and quoted in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified(headers={"ETag": quoted})
    field_file.open("rb")
    known = FORMATS.get(file_format)
    content_type = known.content_type if known else "application/octet-stream"
    response = FileResponse(field_file, content_type=content_type)
    response["Content-Disposition"] = attachment_header(filename)
    response["Content-Length"] = field_file.size
    response["ETag"] = quoted
    response["Cache-Control"] = "public, max-age=3600" if shared else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def serve_document(request: HttpRequest, document_id: str, document_filename: str):
    """Every form URL (/documents/<id>/<name>, Wagtail's own, reversed by its name) answers here:
    Wagtail's before_serve_document hooks first (its collection privacy check among them), then
    the file with a Vietnamese name, a checksum ETag and a count for the day."""
    document = get_object_or_404(FormDocument, pk=document_id)
    if document.filename != document_filename:
        raise Http404(_("Tên tệp không khớp với biểu mẫu này."))
    for hook in hooks.get_hooks("before_serve_document"):
        result = hook(document, request)
        if isinstance(result, HttpResponse):
            return result
    document_served.send(sender=FormDocument, instance=document, request=request)
    response = file_response(
        request,
        document.file,
        document.download_name,
        document.format,
        document.sha256,
        shared=is_public(document),
    )
    if response.status_code == 200 and request.method == "GET":
        count_download([document.pk])
    return response


def version_download(request: HttpRequest, form_id: int, version_id: int, filename: str):
    form = get_object_or_404(public_forms(), pk=form_id)
    version = get_object_or_404(FormVersion, pk=version_id, form=form)
    if filename != version.download_name:
        raise Http404(_("Tên tệp không khớp với phiên bản này."))
    return file_response(
        request, version.file, version.download_name, version.file_format, version.sha256
    )


def procedure_forms_zip(request: HttpRequest, page_id: int) -> HttpResponse:
    """Every form a procedure's required documents link, in one ZIP built on demand, with a
    list of what is inside and SHA256SUMS to check the files against."""
    page = get_object_or_404(public_procedures(), pk=page_id)
    forms = procedure_forms(page)
    if not forms:
        raise Http404(_("Thủ tục này chưa có tệp biểu mẫu nào."))
    bundle = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - FileResponse closes it
    names = write_bundle(bundle, page, forms, request)
    bundle.seek(0)
    count_download([form.pk for form in forms])
    response = FileResponse(bundle, content_type="application/zip")
    response["Content-Disposition"] = attachment_header(f"Biểu mẫu {page.code}.zip")
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Bundle-Files"] = str(len(names))
    return response


def procedure_forms(page: ProcedurePage) -> list[FormDocument]:
    """The distinct public forms a procedure's documents link, in the order they are cited."""
    cited = [c["form"] for c in page.cited_forms() if c["form"] is not None]
    return list({f.pk: f for f in cited if is_public(f)}.values())


def write_bundle(bundle, page: ProcedurePage, forms: list[FormDocument], request) -> list[str]:
    names: list[str] = []
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for form in forms:
            name = _unique(form.download_name, names)
            names.append(name)
            with form.file.open("rb") as source:
                archive.writestr(name, source.read())
        archive.writestr("DANH-MUC.txt", _manifest_text(page, forms, names, request))
        archive.writestr("manifest.json", _manifest_json(page, forms, names, request))
        sums = "".join(f"{form.sha256}  {name}\n" for form, name in zip(forms, names, strict=True))
        archive.writestr("SHA256SUMS", sums)
    return names


def _unique(name: str, taken: list[str]) -> str:
    stem, dot, extension = name.rpartition(".")
    stem, extension = (stem, f".{extension}") if dot else (name, "")
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{stem} ({number}){extension}", number + 1
    return candidate


def _manifest_text(page, forms, names, request) -> str:
    lines = [
        _("Biểu mẫu của thủ tục: %(title)s") % {"title": page.full_title or page.title},
        _("Mã thủ tục: %(code)s – %(province)s") % {"code": page.code, "province": page.province},
        _("Trang thủ tục: %(url)s") % {"url": request.build_absolute_uri(page.url)},
        _("Tải lúc: %(time)s") % {"time": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
        "",
    ]
    for number, (form, name) in enumerate(zip(forms, names, strict=True), start=1):
        lines += [
            f"{number}. {form.code} – {form.localised_title}",
            "   "
            + _("Tệp: %(name)s (%(format)s, %(size)s byte)")
            % {"name": name, "format": form.format.upper(), "size": form.file_size},
            "   "
            + _("Phiên bản: %(version)s; có hiệu lực từ: %(date)s")
            % {
                "version": form.version or "–",
                "date": form.effective_date.strftime("%d/%m/%Y") if form.effective_date else "–",
            },
            f"   SHA-256: {form.sha256}",
        ]
        if form.is_sample:
            lines.append("   " + _("Mẫu minh họa, không phải biểu mẫu chính thức."))
    return "\r\n".join(lines) + "\r\n"  # CRLF: Notepad on an old office PC shows the lines


def _manifest_json(page, forms, names, request) -> str:
    files = [
        {**form_record(form, request), "name_in_zip": name}
        for form, name in zip(forms, names, strict=True)
    ]
    manifest = {
        "procedure": {"code": page.code, "title": page.title, "province": page.province.code},
        "generated_at": timezone.now().isoformat(),
        "files": files,
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2)


def forms_index(request: HttpRequest) -> HttpResponse:
    """The forms library: search by code or title (accents optional), filter by format,
    language and province."""
    forms = public_forms()
    q = request.GET.get("q", "").strip()[:200]
    for word in folded(q).split():
        forms = forms.filter(folded_text__contains=word)
    chosen = {key: request.GET.get(key, "") for key in ("format", "language", "province")}
    if chosen["format"]:
        forms = forms.filter(file_format=chosen["format"])
    if chosen["language"]:
        forms = forms.filter(language=chosen["language"])
    if chosen["province"]:
        forms = forms.filter(pk__in=forms_cited_by(province__code=chosen["province"]))
    page = Paginator(forms, PAGE_SIZE).get_page(request.GET.get("page"))
    citing = citing_procedure_ids([form.pk for form in page])
    active = {key: value for key, value in {"q": q, **chosen}.items() if value}
    return render(
        request,
        "forms_library/index.html",
        {
            "q": q,
            "page": page,
            "rows": [(form, len(citing[form.pk])) for form in page],
            "chosen": chosen,
            "formats": _format_choices(),
            "languages": Language.choices,
            "provinces": ProvincePage.objects.live().order_by("title"),
            "query_string": urlencode(active),
        },
    )


def form_detail(request: HttpRequest, form_id: int) -> HttpResponse:
    form = get_object_or_404(public_forms(), pk=form_id)
    page_ids = citing_procedure_ids([form.pk])[form.pk]
    procedures = ProcedurePage.objects.filter(pk__in=page_ids).order_by("province__title", "code")
    return render(
        request,
        "forms_library/detail.html",
        {
            "form": form,
            "record": form_record(form, request),
            "versions": [(v, version_record(v, request)) for v in form.versions.all()],
            "procedures": procedures.select_related("province", "agency"),
            "downloads_30_days": _recent_downloads(form, days=30),
        },
    )


def _recent_downloads(form: FormDocument, days: int) -> int:
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    recent = form.download_days.filter(day__gte=since)
    return recent.aggregate(total=Sum("count"))["total"] or 0


def _format_choices() -> list[str]:
    formats = public_forms().exclude(file_format="").values_list("file_format", flat=True)
    return sorted(set(formats))
