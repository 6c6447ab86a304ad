"""The OpenAPI schema shows a Vietnamese example of every parameter and of every answer, and each
example is what the schema declares: a record that gains or loses a key fails here until its
example follows."""

import copy

import jsonschema
import pytest

SCHEMA_URL = "/api/schema/?format=json"


@pytest.fixture
def schema(client, db) -> dict:
    return client.get(SCHEMA_URL).json()


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def as_json_schema(node, components: dict, seen: tuple = ()):
    """OpenAPI 3.0's schema as JSON Schema: references inlined, `nullable` as a null type, and
    objects closed to keys they do not declare (an example's stale key shows)."""
    if isinstance(node, list):
        return [as_json_schema(item, components, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        assert name not in seen, f"recursive schema {name}"
        return as_json_schema(components[name], components, (*seen, name))
    node = {key: as_json_schema(value, components, seen) for key, value in node.items()}
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def test_every_parameter_has_a_described_example_it_accepts(schema):
    for name, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            where = f"{name} ?{parameter['name']}"
            assert parameter.get("description"), f"{where} has no description"
            examples = [e["value"] for e in parameter.get("examples", {}).values()]
            examples += [parameter["example"]] if "example" in parameter else []
            assert examples, f"{where} has no example"
            for example in examples:
                jsonschema.validate(example, parameter["schema"])


def test_every_answer_has_an_example_that_matches_its_schema(schema):
    components = schema["components"]["schemas"]
    for name, operation in operations(schema):
        answer = operation["responses"]["200"]["content"]["application/json"]
        examples = answer.get("examples", {})
        assert examples, f"{name} shows no example of its answer"
        declared = as_json_schema(copy.deepcopy(answer["schema"]), components)
        for title, example in examples.items():
            try:
                jsonschema.validate(example["value"], declared)
            except jsonschema.ValidationError as error:
                pytest.fail(f"{name}, example {title}: {error.message} at {list(error.path)}")


def test_the_examples_are_in_vietnamese(schema):
    record = schema["paths"]["/api/v1/procedures/{code}/"]["get"]["responses"]["200"]
    example = next(iter(record["content"]["application/json"]["examples"].values()))["value"]
    assert example["title"] == "Cấp giấy đăng ký tạm trú, tạm vắng"
    parameters = schema["paths"]["/api/v1/search/"]["get"]["parameters"]
    assert {p["name"]: p["example"] for p in parameters}["q"] == "giấy phép xây dựng"
