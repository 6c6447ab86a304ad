"""Browsing the catalogue by field and by life event, and the application status lookup.

On a province's own portal these list that province only; on the installation's default site
they list every province, with a province filter.
"""

import re
from urllib.parse import quote

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail.models import Site

from cms.models import LOOKUP_CODE_PLACEHOLDER, PortalSettings

from .listing import active, build_listing, published_procedures, taxonomy_counts
from .models import Audience, Field, LifeEvent, ProcedurePage, ProvincePage, in_reading_order
from .records import site_province


def _scope(request: HttpRequest) -> tuple[ProvincePage | None, QuerySet[ProcedurePage]]:
    province = site_province(request)
    procedures = published_procedures()
    if province is not None:
        procedures = procedures.filter(province=province)
    return province, procedures


def _listing_page(
    request: HttpRequest, template: str, obj, procedures, field_filter: bool = True
) -> HttpResponse:
    province, scoped = _scope(request)
    listing = build_listing(
        request,
        scoped.filter(pk__in=procedures.values("pk")),
        tiers=province.tiers_in_force if province else None,
        province_filter=province is None,
        field_filter=field_filter,
    )
    return render(request, template, {"object": obj, "listing": listing, "province": province})


def field_index(request: HttpRequest) -> HttpResponse:
    province, procedures = _scope(request)
    fields = taxonomy_counts(Field, active(procedures)).filter(procedure_count__gt=0)
    return render(
        request,
        "catalog/field_index.html",
        {"fields": in_reading_order(fields), "province": province},
    )


def field_detail(request: HttpRequest, code: str) -> HttpResponse:
    field = get_object_or_404(Field, code=code)
    return _listing_page(
        request, "catalog/field_detail.html", field, field.procedures.all(), field_filter=False
    )


def life_event_index(request: HttpRequest) -> HttpResponse:
    province, procedures = _scope(request)
    events = in_reading_order(taxonomy_counts(LifeEvent, active(procedures)))
    groups = [
        (audience.label, [e for e in events if e.audience == audience]) for audience in Audience
    ]
    return render(
        request, "catalog/life_event_index.html", {"groups": groups, "province": province}
    )


def life_event_detail(request: HttpRequest, code: str) -> HttpResponse:
    event = get_object_or_404(LifeEvent, code=code)
    return _listing_page(request, "catalog/life_event_detail.html", event, event.procedures.all())


# --- application status lookup ----------------------------------------------------------------

# Letters, digits, - and /, and the dots real receipt codes carry (000.00.21.H36-250101-0001).
RECEIPT_CODE = re.compile(r"[A-Za-z0-9./-]+")


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=64,
        help_text=_(
            "Mã in trên giấy tiếp nhận hồ sơ: chữ, số, dấu chấm, dấu - và /, "
            "ví dụ 000.00.21.H36-250101-0001."
        ),
        error_messages={"required": _("Hãy nhập mã hồ sơ.")},
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not RECEIPT_CODE.fullmatch(code):
            raise forms.ValidationError(
                _("Mã hồ sơ chỉ gồm chữ cái không dấu, chữ số, dấu chấm, dấu - và dấu /.")
            )
        return code


def lookup_url(template: str, code: str) -> str:
    return template.replace(LOOKUP_CODE_PLACEHOLDER, quote(code, safe=""))


@never_cache  # the answer carries a citizen's receipt code: no cache keeps it
def status_lookup(request: HttpRequest) -> HttpResponse:
    """Sends the citizen to the province's own lookup with the receipt code; stores nothing."""
    site = Site.find_for_request(request)
    portal = PortalSettings.for_site(site) if site else None
    target = portal.status_lookup_url if portal else ""
    form = LookupForm(request.GET) if "code" in request.GET else LookupForm()
    if target and form.is_bound and form.is_valid():
        return redirect(lookup_url(target, form.cleaned_data["code"]))
    return render(
        request,
        "catalog/status_lookup.html",
        {"form": form, "portal": portal, "lookup_available": bool(target)},
    )
