"""?format=jsonld on procedures/ and procedures/{code}/: the same records as CPSV-AP 3 JSON-LD
(catalog.cpsv), served as application/ld+json."""

from django.utils import translation
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from ..cpsv import CONTEXT, MEDIA_TYPE, list_document, service_document


class JSONLDRenderer(JSONRenderer):
    """A list page becomes a document with @graph (and the page's count, next, previous), a
    record a PublicService; anything else (an error, the 300 of a code in several provinces)
    stays the JSON it was, and says so: application/json."""

    media_type = MEDIA_TYPE
    format = "jsonld"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        lang = translation.get_language() or "vi"
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code == 200 and isinstance(data, dict):
            if "results" in data:
                return super().render(list_document(data, lang), MEDIA_TYPE, renderer_context)
            if "code" in data and "url" in data:
                return super().render(service_document(data, lang), MEDIA_TYPE, renderer_context)
        if response is not None:
            response["Content-Type"] = "application/json"
        return super().render(data, "application/json", renderer_context)


# The OpenAPI schema of the two documents, field by field (tests/api/test_schema.py holds every
# answer of the feed to that), written as the JSON Schema drf-spectacular passes through.
_STRING = {"type": "string"}
_IRI = {"type": "string", "format": "uri"}
_TEXT = {
    "type": "object",
    "description": "chuỗi có gắn ngôn ngữ / a language-tagged string",
    "properties": {"@value": _STRING, "@language": {"type": "string", "enum": ["vi", "en"]}},
    "required": ["@value", "@language"],
}
_TYPE = {"anyOf": [_STRING, {"type": "array", "items": _STRING}]}


def _node(what: str, /, **properties) -> dict:
    return {
        "type": "object",
        "description": what,
        "properties": {"@id": _IRI, "@type": _TYPE, **properties},
        "required": ["@id", "@type"],
    }


def _many(schema: dict) -> dict:
    return {"type": "array", "items": schema}


_CONCEPT = _node("skos:Concept", prefLabel=_TEXT)
_LOCATION = _node("dct:Location", identifier=_STRING, prefLabel=_TEXT)
_ADDRESS = {
    "type": "object",
    "description": "locn:Address",
    "properties": {"@type": _STRING, "fullAddress": _TEXT},
}
_DOCUMENT = _node("foaf:Document (biểu mẫu / the form file)", identifier=_STRING, title=_TEXT)
_SERVICE_PROPERTIES = {
    "identifier": _STRING,
    "title": _TEXT,
    "description": _TEXT,
    "keyword": _many(_TEXT),
    "hasCompetentAuthority": _node(
        "cv:PublicOrganisation", identifier=_STRING, prefLabel=_TEXT, spatial=_LOCATION
    ),
    "spatial": _LOCATION,
    "hasChannel": _many(
        _node(
            "cv:Channel",
            identifier=_STRING,
            type=_CONCEPT,
            description=_TEXT,
            processingTime={"type": "string", "description": "xsd:duration"},
            relatedDocumentation=_IRI,
            address=_ADDRESS,
        )
    ),
    "hasCost": _many(
        _node(
            "cv:Cost",
            identifier=_STRING,
            description=_TEXT,
            hasValue={"type": "number"},
            currency=_node("skos:Concept (VND)"),
            ifAccessedThrough=_IRI,
        )
    ),
    "processingTime": {"type": "string", "description": "xsd:duration, e.g. P15D"},
    "hasInput": _many(
        _node(
            "cv:Evidence",
            identifier=_STRING,
            title=_TEXT,
            description=_TEXT,
            relatedDocumentation=_DOCUMENT,
        )
    ),
    "produces": _node("cv:Output", identifier=_STRING, title=_TEXT),
    "hasLegalResource": _many(
        _node("eli:LegalResource", identifier=_STRING, title=_TEXT, relatedDocumentation=_IRI)
    ),
    "isGroupedBy": _many(_node("cv:Event, cv:LifeEvent", identifier=_STRING, title=_TEXT)),
}
_CONTEXT_SCHEMA = {
    "type": "object",
    "description": "@context: CPSV-AP 3.2 terms",
    "properties": {
        term: {
            "anyOf": [
                _STRING,
                {"type": "object", "properties": {"@id": _STRING, "@type": _STRING}},
            ]
        }
        for term in CONTEXT
    },
}
_PAGE_LINK = {"anyOf": [_IRI, {"type": "null"}]}


def _field(schema: dict) -> serializers.Field:
    """A field the schema shows as `schema` (keys such as @context are no Python names); a class
    of its own, since a serializer copies its fields from their arguments."""
    return extend_schema_field(schema)(type("CPSVField", (serializers.JSONField,), {}))()


_SERVICE = _node("cpsv:PublicService", **_SERVICE_PROPERTIES)
# many=False: the list's document is one object with its @graph, not a page of records.
PublicServiceDocument = extend_schema_serializer(many=False)(
    type(
        "CPSVPublicService",
        (serializers.Serializer,),
        {
            "@context": _field(_CONTEXT_SCHEMA),
            **{name: _field(schema) for name, schema in _SERVICE["properties"].items()},
        },
    )
)
PublicServiceListDocument = extend_schema_serializer(many=False)(
    type(
        "CPSVPublicServiceList",
        (serializers.Serializer,),
        {
            "@context": _field(_CONTEXT_SCHEMA),
            "count": serializers.IntegerField(),
            "next": _field(_PAGE_LINK),
            "previous": _field(_PAGE_LINK),
            "@graph": _field(_many(_SERVICE)),
        },
    )
)
