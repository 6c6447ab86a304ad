"""Every form a procedure's required documents link, in one ZIP built on demand, with a list of
what is inside and SHA256SUMS to check the files against."""

import json
import tempfile
import zipfile

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_library.downloads import attachment_header
from forms_library.models import FormDocument, count_download
from forms_library.records import form_record

from .form_citations import procedure_forms
from .models import ProcedurePage
from .records import public_procedures

SPOOL_BYTES = 16 * 1024 * 1024  # a bundle bigger than this is built on disk, not in memory


def procedure_forms_zip(request: HttpRequest, page_id: int) -> HttpResponse:
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


def write_bundle(
    bundle, page: ProcedurePage, forms: list[FormDocument], request: HttpRequest
) -> list[str]:
    """Writes the ZIP into `bundle` (a binary file); gives the names of the forms inside."""
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
