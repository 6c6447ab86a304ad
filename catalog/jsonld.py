"""schema.org GovernmentService for a procedure page, built from its one public record
(catalog.records.procedure_record), for search engines and other readers of structured data."""

import json

from .blocks import ChannelChoices
from .levels import needs_submission_url

SCHEMA = "https://schema.org"
# What json_script escapes: no "</script>", "<!--" or "&" sequence can close or bend the element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _https(url: str | None) -> str | None:
    return url if url and url.startswith("https://") else None


def _organization(ref: dict | None) -> dict | None:
    return {"@type": "GovernmentOrganization", "name": ref["name"]} if ref else None


def _place(province: dict) -> dict:
    return {"@type": "AdministrativeArea", "name": province["name"]}


def _online_url(record: dict) -> str | None:
    """The submission URL, only where the level offers it and only over https."""
    return _https(record["submission_url"]) if needs_submission_url(record["level"]) else None


def _channels(record: dict) -> list[dict]:
    channels = [_channel(c, record) for c in record["channels"]]
    online_url = _online_url(record)
    if online_url and not any("serviceUrl" in c for c in channels):
        channels.append({"@type": "ServiceChannel", "serviceUrl": online_url})
    return channels


def _channel(channel: dict, record: dict) -> dict:
    service_channel = {"@type": "ServiceChannel", "name": channel["channel_label"]}
    if channel["processing_time"]:
        service_channel["processingTime"] = channel["processing_time"]
    if channel["description"]:
        service_channel["description"] = channel["description"]
    online_url = _online_url(record)
    if channel["channel"] == ChannelChoices.ONLINE and online_url:
        service_channel["serviceUrl"] = online_url
    elif channel["channel"] == ChannelChoices.IN_PERSON and record["receiving_address"]:
        service_channel["serviceLocation"] = {
            "@type": "Place",
            "address": record["receiving_address"],
        }
    return service_channel


def _legal_basis(record: dict) -> list[str]:
    return [
        " – ".join(filter(None, [law["number"], law["summary"]])) for law in record["legal_basis"]
    ]


def government_service(record: dict) -> dict:
    """The record as a GovernmentService; empty facts are left out rather than sent empty."""
    data = {
        "@context": SCHEMA,
        "@type": "GovernmentService",
        "name": record["title"],
        "identifier": record["code"],
        "url": record["url"],
        "serviceType": record["field"]["name"] if record["field"] else None,
        "provider": _organization(record["agency"]),
        "areaServed": _place(record["province"]) if record["province"] else None,
        "audience": [{"@type": "Audience", "audienceType": s} for s in record["subjects"]],
        "availableChannel": _channels(record),
        "termsOfService": "; ".join(_legal_basis(record)) or None,
        "dateModified": record["last_published_at"],
    }
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def script_json(data: dict) -> str:
    """JSON safe to place between <script> tags (the caller marks it safe)."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
