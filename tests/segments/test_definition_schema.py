"""The JSON Schema of segment definitions (macros/segments/segment_definition_schema.sql) is a
valid Draft 2020-12 schema, accepts every shipped definition, and agrees with the build's own
validator: jsonschema rejects exactly the invalid cases that the build rejects as schema errors.
The build's validator (macros/segments/validate_against_schema.sql, Jinja because dbt's Jinja
imports no Python package) is rendered here without dbt, so the two are compared directly and
fast; test_invalid_definitions.py compares them through a real dbt run."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import jinja2
import jsonschema
import pytest
import yaml

from orchestration.segments.schema import schema_errors
from tests.segments.invalid_cases import CASES
from tests.segments.pandas_rules import shipped_definitions
from tests.support import PROJECT_DIR

MACRO = PROJECT_DIR / "macros" / "segments" / "segment_definition_schema.sql"
VALIDATOR = PROJECT_DIR / "macros" / "segments" / "validate_against_schema.sql"


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


class _Returned(Exception):
    def __init__(self, value):
        self.value = value


def _jinja_validator():
    """validate_against_schema as the build runs it, rendered by Jinja outside dbt: dbt's return()
    and the context members the macro uses (modules.re, tojson), nothing else."""

    def returned(value):
        raise _Returned(value)

    audience = SimpleNamespace()  # the project's macros, as dbt names them
    environment = jinja2.Environment(extensions=["jinja2.ext.do"])
    environment.globals.update(
        {
            "audience": audience,
            "return": returned,
            "modules": {"re": re},
            "tojson": lambda value, sort_keys=False: json.dumps(value, sort_keys=sort_keys),
        }
    )
    # Jinja exports no macro whose name starts with _
    text = VALIDATOR.read_text().replace("_json_type_of", "json_type_of")
    module = environment.from_string(text).module

    def as_dbt_calls(macro):
        def call(*args):
            try:
                macro(*args)
            except _Returned as result:
                return result.value
            return None

        return call

    for name in ("validate_against_schema", "json_type_of"):
        setattr(audience, name, as_dbt_calls(getattr(module, name)))
    return audience.validate_against_schema


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_the_build_validator_and_jsonschema_agree_on_every_invalid_case(validator, case: dict):
    """The build's Jinja validator (which must stay Jinja: dbt's Jinja imports no Python package)
    rejects exactly what jsonschema rejects, with the first of check-segments' messages."""
    schema = validator.schema
    error = _jinja_validator()(case["definition"], schema, schema, "segment")
    python_errors = [
        f"{path}: {message}" for path, message in schema_errors(case["definition"], schema)
    ]
    assert (error is not None) == case["schema_level"] == bool(python_errors)
    if error is not None:
        assert error in python_errors
        assert error.startswith(case["error"])


def test_the_build_validator_accepts_every_shipped_definition(validator):
    validate = _jinja_validator()
    for name, definition in shipped_definitions().items():
        assert validate(definition, validator.schema, validator.schema, "segment") is None, name
