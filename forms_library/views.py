"""Downloads of forms (the current file through Wagtail's document view, or an earlier version)
and the public forms pages: the library with search and filters, and one form with its history.

The pages are the library's own view of its forms; the room that cites forms (catalog) extends
them with the procedures that use each form."""

import datetime

from django.core.paginator import Paginator
from django.db.models import QuerySet, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.documents.views.serve import serve as wagtail_serve

from cms.text import fold

from .downloads import add_file_headers, file_response
from .models import FormDocument, FormVersion, Language
from .records import form_record, is_public, public_forms, version_record

PAGE_SIZE = 30


def serve_form(request: HttpRequest, document_id: str, document_filename: str) -> HttpResponse:
    """Every form URL (/documents/<id>/<name>, reversed by Wagtail's name wagtaildocs_serve).

    Wagtail's view does the work: its before_serve_document hooks (the collection privacy check,
    then our 304 for a browser that has the file), its document_served signal (the day's count),
    then the file with the model's content type and disposition, or a redirect to the storage's
    URL under WAGTAILDOCS_SERVE_METHOD = "redirect". This wrapper, not a middleware, adds what
    Wagtail's path cannot: it sees only this URL and has the document at hand."""
    response = wagtail_serve(request, document_id, document_filename)
    if isinstance(response, FileResponse):
        return _with_form_headers(response, FormDocument.objects.get(pk=document_id))
    if response.status_code == 302:
        document = FormDocument.objects.get(pk=document_id)
        if response["Location"] == iri_to_uri(document.file.url) and not is_public(document):
            return _private_file(request, document)  # never a public URL for a restricted form
    return response


def _with_form_headers(response: FileResponse, document: FormDocument) -> FileResponse:
    # Wagtail's sendfile path names the file by its stored name, sets Content-Encoding even when
    # there is none ("None"), and adds Last-Modified, whose If-Modified-Since would get a 304
    # (and a count) past our checksum check: the SHA-256 ETag alone decides, as before.
    response["Content-Disposition"] = document.content_disposition
    response.headers.pop("Last-Modified", None)
    if response.get("Content-Encoding") == "None":
        del response["Content-Encoding"]
    return add_file_headers(response, document.sha256, shared=is_public(document))


def _private_file(request: HttpRequest, document: FormDocument) -> HttpResponse:
    return file_response(
        request,
        document.file,
        document.download_name,
        document.file_format,
        document.sha256,
        shared=False,
    )


def version_download(request: HttpRequest, form_id: int, version_id: int, filename: str):
    form = get_object_or_404(public_forms(), pk=form_id)
    version = get_object_or_404(FormVersion, pk=version_id, form=form)
    if filename != version.download_name:
        raise Http404(_("Tên tệp không khớp với phiên bản này."))
    return file_response(
        request, version.file, version.download_name, version.file_format, version.sha256
    )


class FormsIndexView(TemplateView):
    """The forms library: search by code or title (accents optional), filter by format and
    language."""

    template_name = "forms_library/index.html"
    filter_names: tuple[str, ...] = ("format", "language")

    def filter_forms(self, forms: QuerySet, chosen: dict[str, str]) -> QuerySet:
        if chosen.get("format"):
            forms = forms.filter(file_format=chosen["format"])
        if chosen.get("language"):
            forms = forms.filter(language=chosen["language"])
        return forms

    def procedure_counts(self, forms: list[FormDocument]) -> dict[int, int]:
        """How many procedures use each form: the citing room knows, the library does not."""
        return {}

    def get_context_data(self, **kwargs) -> dict:
        q = self.request.GET.get("q", "").strip()[:200]
        chosen = {key: self.request.GET.get(key, "") for key in self.filter_names}
        forms = self.filter_forms(matching_forms(q), chosen)
        page = Paginator(forms, PAGE_SIZE).get_page(self.request.GET.get("page"))
        counts = self.procedure_counts(list(page))
        active = {key: value for key, value in {"q": q, **chosen}.items() if value}
        return {
            **super().get_context_data(**kwargs),
            "q": q,
            "page": page,
            "rows": [(form, counts.get(form.pk, 0)) for form in page],
            "chosen": chosen,
            "formats": _format_choices(),
            "languages": Language.choices,
            "query_string": urlencode(active),
        }


class FormDetailView(TemplateView):
    """One form: its facts, its download, its earlier versions and its recent downloads."""

    template_name = "forms_library/detail.html"

    def get_context_data(self, **kwargs) -> dict:
        form = get_object_or_404(public_forms(), pk=kwargs["form_id"])
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "record": form_record(form, self.request),
            "versions": [(v, version_record(v, self.request)) for v in form.versions.all()],
            "downloads_30_days": _recent_downloads(form, days=30),
        }


def matching_forms(q: str) -> QuerySet[FormDocument]:
    """The public forms whose code or title holds every word of q, accents optional."""
    forms = public_forms()
    for word in fold(q).split():
        forms = forms.filter(folded_text__contains=word)
    return forms


def _recent_downloads(form: FormDocument, days: int) -> int:
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    recent = form.download_days.filter(day__gte=since)
    return recent.aggregate(total=Sum("count"))["total"] or 0


def _format_choices() -> list[str]:
    formats = public_forms().exclude(file_format="").values_list("file_format", flat=True)
    return sorted(set(formats))
