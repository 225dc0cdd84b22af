"""The JSON Schema of segment definitions (macros/segments/segment_definition_schema.sql) is a
valid Draft 2020-12 schema, accepts every shipped definition, and agrees with the build's own
validator: jsonschema rejects exactly the invalid cases that the build rejects as schema errors."""

from __future__ import annotations

import re

import jsonschema
import pytest
import yaml

from tests.segments.invalid_cases import CASES
from tests.segments.pandas_rules import shipped_definitions
from tests.support import PROJECT_DIR

MACRO = PROJECT_DIR / "macros" / "segments" / "segment_definition_schema.sql"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    text = MACRO.read_text()
    (schema_yaml,) = re.findall(
        r"# segment-definition-schema-start\n(.*)# segment-definition-schema-end", text, re.S
    )
    schema = yaml.safe_load(schema_yaml)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_every_shipped_definition_is_valid(validator):
    definitions = shipped_definitions()
    assert definitions
    for name, definition in definitions.items():
        errors = [error.message for error in validator.iter_errors(definition)]
        assert not errors, (name, errors)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_jsonschema_agrees_on_what_is_a_schema_error(validator, case: dict):
    assert validator.is_valid(case["definition"]) != case["schema_level"]
