"""CPSV-AP 3 (the EU's Core Public Service Vocabulary) as JSON-LD, built from a procedure's one
public record (catalog.records.procedure_record): small pure functions over that dictionary, no
database query of their own. The feed serves it as ?format=jsonld (catalog.api.jsonld).

What maps to what:

    record                         CPSV-AP 3.2
    url (https)                    PublicService @id
    title, description (as text)   dct:title, dct:description
    code                           dct:identifier (the shapes allow one)
    keywords                       dcat:keyword
    agency, province               hasCompetentAuthority -> PublicOrganisation (prefLabel,
                                   spatial -> Location)
    channels, submission_url,      hasChannel -> Channel (type: a skos:Concept; online: the
    receiving_address              submission page as foaf:page, https only; in person: the
                                   receiving address as locn:address)
    processing_time                processingTime, xsd:duration, only when it parses
    fee, channels[].fee            hasCost -> Cost (a channel's fee: ifAccessedThrough it;
                                   hasValue and currency VND only for a plain amount)
    documents[].documents          hasInput -> Evidence (the form: relatedDocumentation, foaf:page,
                                   -> foaf:Document)
    result                         produces -> Output
    legal_basis                    hasLegalResource -> LegalResource
    life_events                    isGroupedBy -> Event, LifeEvent

Stable IRIs: the procedure's page (always https: the IRI names the service whichever scheme the
request came on) and its fragments for what only exists inside it (#channel-online, #cost-1…);
under the site's /id/ what has no page of its own (agencies by province and code, provinces,
channel types); a life event's browsing page.

Strings carry the language of the record (?lang=vi|en) and are NFC.
"""

import html
import re
import unicodedata
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from .blocks import ChannelChoices
from .levels import needs_submission_url

MEDIA_TYPE = "application/ld+json"
CURRENCY_VND = "http://publications.europa.eu/resource/authority/currency/VND"

# Every term names an IRI of the official CPSV-AP 3.2.0 context (catalog/schemas/), which spells
# its terms Class.property; these are the same IRIs under names a reader can type.
CONTEXT = {
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "PublicService": "cpsv:PublicService",
    "PublicOrganisation": "cv:PublicOrganisation",
    "Location": "dct:Location",
    "Channel": "cv:Channel",
    "Cost": "cv:Cost",
    "Evidence": "cv:Evidence",
    "Output": "cv:Output",
    "LegalResource": "eli:LegalResource",
    "Event": "cv:Event",
    "LifeEvent": "cv:LifeEvent",
    "Concept": "skos:Concept",
    "Document": "foaf:Document",
    "Address": "locn:Address",
    "identifier": "dct:identifier",
    "title": "dct:title",
    "description": "dct:description",
    "keyword": "dcat:keyword",
    "prefLabel": "skos:prefLabel",
    "fullAddress": "locn:fullAddress",
    "address": "locn:address",
    "spatial": {"@id": "dct:spatial", "@type": "@id"},
    "type": {"@id": "dct:type", "@type": "@id"},
    "hasCompetentAuthority": {"@id": "cv:hasCompetentAuthority", "@type": "@id"},
    "hasChannel": {"@id": "cv:hasChannel", "@type": "@id"},
    "hasCost": {"@id": "cv:hasCost", "@type": "@id"},
    "hasInput": {"@id": "cpsv:hasInput", "@type": "@id"},
    "produces": {"@id": "cpsv:produces", "@type": "@id"},
    "hasLegalResource": {"@id": "cv:hasLegalResource", "@type": "@id"},
    "isGroupedBy": {"@id": "cv:isGroupedBy", "@type": "@id"},
    "ifAccessedThrough": {"@id": "cv:ifAccessedThrough", "@type": "@id"},
    "currency": {"@id": "cv:currency", "@type": "@id"},
    "relatedDocumentation": {"@id": "foaf:page", "@type": "@id"},
    "processingTime": {"@id": "cv:processingTime", "@type": "xsd:duration"},
    "hasValue": {"@id": "cv:hasValue", "@type": "xsd:double"},
}

# --- processing time ------------------------------------------------------------------------

# xsd:duration has no weeks: a week is written as seven days.
_UNITS = {
    "năm": ("Y", 1),
    "tháng": ("M", 1),
    "tuần": ("D", 7),
    "ngày làm việc": ("D", 1),
    "ngày": ("D", 1),
    "giờ làm việc": ("H", 1),
    "giờ": ("H", 1),
    "phút": ("MIN", 1),
}
_LEAD = r"(?:(?:trong|trong thời hạn|thời hạn|không quá|tối đa)\s+)?"
_TAIL = r"(?:\s*,?\s*kể từ\b.*)?"
_AMOUNT = re.compile(
    rf"^{_LEAD}(\d{{1,4}})\s+({'|'.join(sorted(_UNITS, key=len, reverse=True))}){_TAIL}$"
)
_SAME_DAY = re.compile(rf"^(?:ngay\s+)?trong\s+(?:ngày|ngày làm việc){_TAIL}$")


def processing_duration(text: str | None) -> str | None:
    """ "15 ngày làm việc" → "P15D", "4 giờ" → "PT4H", "trong ngày" → "P1D"; None for anything
    else (ranges, cases, fractions, two numbers, words): a duration is never guessed. A working
    day is counted as a day (xsd:duration has no calendar)."""
    if not text:
        return None
    phrase = " ".join(unicodedata.normalize("NFC", text).lower().split()).rstrip(".")
    if _SAME_DAY.match(phrase):
        return "P1D"
    match = _AMOUNT.match(phrase)
    if not match:
        return None
    number = int(match.group(1))
    designator, factor = _UNITS[match.group(2)]
    if number == 0:
        return None
    if designator == "H":
        return f"PT{number}H"
    if designator == "MIN":
        return f"PT{number}M"
    return f"P{number * factor}{designator}"


# --- fees -------------------------------------------------------------------------------------

_FREE = re.compile(r"^(?:miễn phí|không thu phí|không thu|không)$")
_VND = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:đồng|đ|vnđ|vnd)(?:\s*/\s*(?:hồ sơ|lần))?$")


def fee_amount(text: str | None) -> float | None:
    """A plain amount in đồng ("20.000 đồng", "20.000đ/hồ sơ") or none ("Miễn phí", "Không");
    None when the text says more than that."""
    if not text:
        return None
    phrase = " ".join(unicodedata.normalize("NFC", text).lower().split()).rstrip(".")
    if _FREE.match(phrase):
        return 0.0
    match = _VND.match(phrase)
    return float(match.group(1).replace(".", "")) if match else None


# --- strings and IRIs ---------------------------------------------------------------------------


def text(value: str | None, lang: str) -> dict | None:
    """A language-tagged string, NFC, or None for an empty one."""
    value = unicodedata.normalize("NFC", value or "").strip()
    return {"@value": value, "@language": lang} if value else None


def plain_text(markup: str | None) -> str:
    """The description is HTML: its text, entities decoded, whitespace tidied."""
    return " ".join(html.unescape(strip_tags(markup or "")).split())


def https(url: str | None) -> str | None:
    """The URL only when it is https (for links a citizen follows)."""
    return url if url and url.startswith("https://") else None


def service_iri(record: dict) -> str:
    """The page's URL in the default language (no language prefix), over https: one IRI for the
    service whatever language or scheme the request used."""
    parts = urlsplit(record["url"])
    path = parts.path
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            path = path[len(prefix) - 1 :]
    return f"https://{parts.netloc}{path}"


def site_iri(record: dict) -> str:
    return f"https://{urlsplit(record['url']).netloc}"


def _slug(code: str) -> str:
    return quote(code, safe="")


def _compact(node: dict) -> dict:
    return {key: value for key, value in node.items() if value not in (None, [], "", {})}


# --- the nodes --------------------------------------------------------------------------------


def location(record: dict, lang: str) -> dict | None:
    province = record["province"]
    if not province:
        return None
    return {
        "@id": f"{site_iri(record)}/id/province/{_slug(province['code'])}",
        "@type": "Location",
        "identifier": province["code"],
        "prefLabel": text(province["name"], lang),
    }


def competent_authority(record: dict, lang: str) -> dict | None:
    agency, province = record["agency"], record["province"]
    if not agency:
        return None
    scope = f"{_slug(province['code'])}/" if province else ""
    return _compact(
        {
            "@id": f"{site_iri(record)}/id/agency/{scope}{_slug(agency['code'])}",
            "@type": "PublicOrganisation",
            "identifier": agency["code"],
            "prefLabel": text(agency["name"], lang),
            "spatial": location(record, lang),
        }
    )


def channel_type(record: dict, channel: str, label: str, lang: str) -> dict:
    return _compact(
        {
            "@id": f"{site_iri(record)}/id/channel-type/{channel}",
            "@type": "Concept",
            "prefLabel": text(label, lang),
        }
    )


def online_url(record: dict) -> str | None:
    """The submission URL, only where the level offers it and only over https."""
    return https(record["submission_url"]) if needs_submission_url(record["level"]) else None


def _channel_ids(record: dict) -> list[str]:
    """One fragment per channel of the record: its kind, numbered when a kind repeats."""
    base, ids, seen = service_iri(record), [], {}
    for channel in record["channels"]:
        kind = channel["channel"]
        seen[kind] = seen.get(kind, 0) + 1
        ids.append(f"{base}#channel-{kind}" + (f"-{seen[kind]}" if seen[kind] > 1 else ""))
    return ids


def channels(record: dict, lang: str) -> list[dict]:
    nodes = []
    for channel, iri in zip(record["channels"], _channel_ids(record), strict=True):
        kind = channel["channel"]
        node = {
            "@id": iri,
            "@type": "Channel",
            "identifier": iri.rsplit("#", 1)[1],
            "type": channel_type(record, kind, channel["channel_label"], lang),
            "description": text(channel["description"], lang),
            "processingTime": processing_duration(channel["processing_time"]),
        }
        if kind == ChannelChoices.ONLINE:
            node["relatedDocumentation"] = online_url(record)
        elif kind == ChannelChoices.IN_PERSON and record["receiving_address"]:
            node["address"] = {
                "@type": "Address",
                "fullAddress": text(record["receiving_address"], lang),
            }
        nodes.append(_compact(node))
    submission = online_url(record)
    if submission and not any(c["channel"] == ChannelChoices.ONLINE for c in record["channels"]):
        label = str(dict(ChannelChoices.CHOICES)[ChannelChoices.ONLINE])
        iri = f"{service_iri(record)}#channel-online"
        nodes.append(
            {
                "@id": iri,
                "@type": "Channel",
                "identifier": "channel-online",
                "type": channel_type(record, ChannelChoices.ONLINE, label, lang),
                "relatedDocumentation": submission,
            }
        )
    return nodes


def _cost(iri: str, fee: str, lang: str, channel_iri: str | None = None) -> dict:
    amount = fee_amount(fee)
    return _compact(
        {
            "@id": iri,
            "@type": "Cost",
            "identifier": iri.rsplit("#", 1)[1],
            "description": text(fee, lang),
            "hasValue": amount,
            "currency": {"@id": CURRENCY_VND, "@type": "Concept"} if amount is not None else None,
            "ifAccessedThrough": channel_iri,
        }
    )


def costs(record: dict, lang: str) -> list[dict]:
    """The fee of the procedure, then each channel's own fee, accessed through that channel."""
    base, nodes = service_iri(record), []
    fees = [(record["fee"], None)] + [
        (channel["fee"], iri)
        for channel, iri in zip(record["channels"], _channel_ids(record), strict=True)
    ]
    for fee, channel_iri in fees:
        if fee and fee.strip():
            nodes.append(_cost(f"{base}#cost-{len(nodes) + 1}", fee, lang, channel_iri))
    return nodes


def form_document(form: dict | None, lang: str) -> dict | None:
    if not form:
        return None
    return _compact(
        {
            "@id": form["file_url"],
            "@type": "Document",
            "identifier": form["code"],
            "title": text(form["title"], lang),
        }
    )


def evidences(record: dict, lang: str) -> list[dict]:
    """Every required document of every case; the case it belongs to is its description."""
    base, nodes = service_iri(record), []
    for case in record["documents"]:
        for item in case["documents"]:
            number = len(nodes) + 1
            nodes.append(
                _compact(
                    {
                        "@id": f"{base}#evidence-{number}",
                        "@type": "Evidence",
                        "identifier": f"evidence-{number}",
                        "title": text(item["name"], lang),
                        "description": text(case["case"], lang),
                        "relatedDocumentation": form_document(item["form"], lang),
                    }
                )
            )
    return [node for node in nodes if "title" in node]


def output(record: dict, lang: str) -> dict | None:
    if not record["result"].strip():
        return None
    return {
        "@id": f"{service_iri(record)}#output",
        "@type": "Output",
        "identifier": "output",
        "title": text(record["result"], lang),
    }


def legal_resources(record: dict, lang: str) -> list[dict]:
    base = service_iri(record)
    return [
        _compact(
            {
                "@id": f"{base}#legal-resource-{n}",
                "@type": "LegalResource",
                "identifier": law["number"],
                "title": text(law["summary"], lang),
                "relatedDocumentation": https(law["url"]),
            }
        )
        for n, law in enumerate(record["legal_basis"], start=1)
    ]


def life_events(record: dict, lang: str) -> list[dict]:
    with translation.override("vi"):  # one IRI whatever the reader's language
        paths = [reverse("life-event-detail", args=[e["code"]]) for e in record["life_events"]]
    return [
        _compact(
            {
                "@id": site_iri(record) + path,
                "@type": ["Event", "LifeEvent"],
                "identifier": event["code"],
                "title": text(event["name"], lang),
            }
        )
        for event, path in zip(record["life_events"], paths, strict=True)
    ]


def public_service(record: dict, lang: str) -> dict:
    """The record as a CPSV-AP PublicService; empty facts are left out rather than sent empty."""
    return _compact(
        {
            "@id": service_iri(record),
            "@type": "PublicService",
            "identifier": record["code"],
            "title": text(record["title"], lang),
            "description": text(plain_text(record["description"]), lang),
            "keyword": [text(k, lang) for k in record["keywords"] if k.strip()],
            "hasCompetentAuthority": competent_authority(record, lang),
            "spatial": location(record, lang),
            "hasChannel": channels(record, lang),
            "hasCost": costs(record, lang),
            "processingTime": processing_duration(record["processing_time"]),
            "hasInput": evidences(record, lang),
            "produces": output(record, lang),
            "hasLegalResource": legal_resources(record, lang),
            "isGroupedBy": life_events(record, lang),
        }
    )


def service_document(record: dict, lang: str) -> dict:
    return {"@context": CONTEXT, **public_service(record, lang)}


def list_document(page: dict, lang: str) -> dict:
    """A page of the list: its services in @graph; count, next and previous as in the JSON list
    (plain keys the context leaves unmapped, so a JSON-LD processor reads only the graph)."""
    return {
        "@context": CONTEXT,
        "count": page.get("count"),
        "next": page.get("next"),
        "previous": page.get("previous"),
        "@graph": [public_service(record, lang) for record in page.get("results", [])],
    }
