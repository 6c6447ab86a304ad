"""Browsing blocks of the home and province pages, and the procedure lists with their filters.

Computed here, not in the page models: cms may import no other room, and a template tag may
import any."""

from django import template
from django.db.models import QuerySet
from django.http import QueryDict

from catalog.levels import Level, level_label
from catalog.listing import (
    Listing,
    active,
    build_listing,
    counts_by,
    published_procedures,
    taxonomy_counts,
)
from catalog.models import (
    AgencyPage,
    Audience,
    Field,
    LifeEvent,
    ProvincePage,
    Tier,
    in_reading_order,
)
from catalog.view_counts import most_viewed
from cms.ordering import by_shown

register = template.Library()

HOME_FIELDS = 12  # the fields with the most procedures shown on the home page


@register.simple_tag(takes_context=True)
def procedure_listing(
    context, procedures: QuerySet, tiers=None, province_filter: bool = False, show_agency=True
) -> Listing:
    return build_listing(context["request"], procedures, tiers, province_filter, show_agency)


@register.simple_tag
def page_query(listing: Listing, number: int) -> str:
    """The query string of page `number` of this listing, with its filters."""
    query = QueryDict(listing.query, mutable=True)
    query["page"] = str(number)
    return "?" + query.urlencode()


def _life_events(procedures: QuerySet) -> list[dict]:
    events = in_reading_order(taxonomy_counts(LifeEvent, procedures))
    return [
        {"label": audience.label, "events": [e for e in events if e.audience == audience]}
        for audience in Audience
    ]


def _most_used_fields(procedures: QuerySet) -> list[Field]:
    fields = in_reading_order(taxonomy_counts(Field, procedures).filter(procedure_count__gt=0))
    # sorted() is stable: the reading order stays among fields of equal count.
    return sorted(fields, key=lambda f: -f.procedure_count)[:HOME_FIELDS]


def _tiers(procedures: QuerySet, province: ProvincePage | None) -> list[dict]:
    tiers = province.tiers_in_force if province else [t.value for t in Tier]
    flags = {"province": "tier_province", "district": "tier_district", "commune": "tier_commune"}
    return [
        {"code": t, "label": Tier(t).label, "count": counts_by(procedures, flags[t]).get(True, 0)}
        for t in tiers
    ]


def _levels(procedures: QuerySet) -> list[dict]:
    counts = counts_by(procedures, "level")
    return [{"level": lv, "label": level_label(lv), "count": counts.get(lv, 0)} for lv in Level]


@register.simple_tag
def home_blocks(province: ProvincePage | None = None) -> dict:
    """What the home page (or a province's home) shows: browsing by life event, agency, field
    and tier, the most viewed procedures and the counts by online level."""
    procedures = active(published_procedures())
    # The home page lists the provinces (the chooser); a one-province installation's home
    # shows that province's blocks too.
    provinces = [] if province else list(ProvincePage.objects.live().order_by(by_shown("title")))
    if len(provinces) == 1:
        province = provinces[0]
    if province is not None:
        procedures = procedures.filter(province=province)
    agencies = AgencyPage.objects.live().order_by("tier", by_shown("title"))
    agencies = agencies.filter(province=province) if province else agencies.none()
    return {
        "province": province,
        "provinces": provinces,
        "life_events": _life_events(procedures),
        "agencies": agencies,
        "fields": _most_used_fields(procedures),
        "tiers": _tiers(procedures, province),
        "levels": _levels(procedures),
        "most_viewed": most_viewed(procedures),
        "total": procedures.count(),
    }
