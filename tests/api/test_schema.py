"""The OpenAPI schema (/api/schema/) describes every field of the feed's answers: no response of
the public endpoints is an object without properties or a value of no type."""

import pytest

DESCRIBED = [
    "/api/v1/procedures/",
    "/api/v1/procedures/{code}/",
    "/api/v1/search/",
    "/api/v1/suggest/",
    "/api/v1/forms/",
    "/api/v1/forms/{id}/",
    "/api/v1/changes/",
    "/api/v1/agencies/",
    "/api/v1/fields/",
    "/api/v1/fields/{code}/",
    "/api/v1/life-events/",
]
COMBINATIONS = ("allOf", "oneOf", "anyOf")

pytestmark = pytest.mark.django_db


def untyped(schema: dict, components: dict, path: str, seen: frozenset = frozenset()) -> list:
    """The places under `schema` that say nothing of their content: an object without
    properties, an array without items, a value without a type."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return [] if name in seen else untyped(components[name], components, name, seen | {name})
    found = []
    for combination in COMBINATIONS:
        for i, part in enumerate(schema.get(combination, [])):
            found += untyped(part, components, f"{path}.{combination}[{i}]", seen)
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties") or {}
        found += [] if properties else [path]
        for name, value in properties.items():
            found += untyped(value, components, f"{path}.{name}", seen)
    elif kind == "array":
        items = schema.get("items")
        found += untyped(items, components, f"{path}[]", seen) if items else [f"{path}[]"]
    elif kind is None and not any(c in schema for c in COMBINATIONS):
        found.append(path)
    return found


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("path", DESCRIBED)
def test_every_response_of_the_feed_is_described_field_by_field(schema, path):
    responses = schema["paths"][path]["get"]["responses"]
    assert "content" in responses["200"], f"{path}: 200 has no body in the schema"
    components = schema.get("components", {}).get("schemas", {})
    for code, response in responses.items():
        for media, content in response.get("content", {}).items():
            assert untyped(content["schema"], components, f"{path} {code} {media}") == []


def test_the_walk_finds_an_untyped_object():
    components = {"Page": {"type": "object", "properties": {"results": {"type": "array"}}}}
    assert untyped({"$ref": "#/components/schemas/Page"}, components, "p") == ["Page.results[]"]
    assert untyped({"type": "object", "additionalProperties": {}}, {}, "p") == ["p"]
    assert untyped({}, {}, "p") == ["p"]


def test_the_record_schema_names_its_types(schema):
    record = schema["components"]["schemas"]["Procedure"]["properties"]
    assert record["level"] == {
        "type": "integer",
        "maximum": 4,
        "minimum": 1,
        "description": "Mức độ DVCTT (NĐ 43/2011) / online service level",
    }
    assert record["last_published_at"]["format"] == "date-time"
    assert record["documents"]["items"] == {"$ref": "#/components/schemas/DocumentCase"}
