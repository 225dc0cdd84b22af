"""The JSON Schema of a segment definition, read from the macro the dbt compiler uses
(macros/segments/segment_definition_schema.sql), so both check against one text; its errors
worded as the compiler's validate_against_schema words them; and the *_value definitions that say
what a value compared with a column of a given data type must be."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError

from orchestration.segments.findings import shown

SCHEMA_MACRO = Path("macros") / "segments" / "segment_definition_schema.sql"
SCHEMA_BLOCK = re.compile(
    r"# segment-definition-schema-start\n(.*)# segment-definition-schema-end", re.S
)


def load_schema(project_dir: Path) -> dict[str, Any]:
    (text,) = SCHEMA_BLOCK.findall((project_dir / SCHEMA_MACRO).read_text())
    schema = yaml.safe_load(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def schema_errors(definition: Any, schema: dict[str, Any]) -> list[tuple[str, str]]:
    """(field path, message) of every violation of the schema, by field path."""
    validator = jsonschema.Draft202012Validator(schema)
    described = [item for error in validator.iter_errors(definition) for item in _described(error)]
    return sorted(described, key=lambda item: item[0])


def _field_path(error: ValidationError) -> str:
    return "segment" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)


def _described(error: ValidationError) -> Iterator[tuple[str, str]]:
    path, kind, limit, value = (
        _field_path(error),
        error.validator,
        error.validator_value,
        error.instance,
    )
    properties = list(error.schema.get("properties", {}))
    if kind == "required":
        for key in (key for key in limit if key not in value):
            yield f"{path}.{key}", "expected a value, the field is required"
    elif kind == "additionalProperties":
        for key in (key for key in value if key not in properties):
            yield f"{path}.{key}", "expected no such field; allowed: " + ", ".join(properties)
    elif kind in ("minProperties", "maxProperties"):
        low, high = error.schema.get("minProperties", 0), error.schema.get("maxProperties")
        if low == high == 1:
            yield path, f"expected exactly one of {', '.join(properties)}, got {shown(value)}"
        else:
            yield (
                path,
                f"expected between {low} and {high or 'any number of'} fields, got {shown(value)}",
            )
    else:
        yield path, _expected(kind, limit, value)


def _expected(kind: str, limit: Any, value: Any) -> str:
    expected = {
        "type": lambda: " or ".join(limit if isinstance(limit, list) else [limit]),
        "enum": lambda: "one of " + ", ".join(str(item) for item in limit),
        "const": lambda: shown(limit),
        "minLength": lambda: "a non-empty string" if limit == 1 else f"at least {limit} characters",
        "pattern": lambda: f"a string matching {limit}",
        "minimum": lambda: f"a number >= {limit}",
        "maximum": lambda: f"a number <= {limit}",
    }
    if kind in ("minItems", "maxItems"):
        bound = "at least" if kind == "minItems" else "at most"
        return f"expected {bound} {limit} items, got {len(value)}"
    if kind in expected:
        return f"expected {expected[kind]()}, got {shown(value)}"
    return f"expected what the schema's {kind} says: {limit}, got {shown(value)}"


def value_kind(data_type: str | None, schema: dict[str, Any]) -> str | None:
    """The *_value definition serving a column data type (number_value for decimal(28,6)), or
    None when none does (the value is then not checked)."""
    if data_type is None:
        return None
    base = re.sub(r"\(.*\)", "", data_type.lower()).strip()
    for name, definition in schema["$defs"].items():
        if name.endswith("_value") and base in definition.get("x-column-types", []):
            return name
    return None


def value_fits(value: Any, kind: str, schema: dict[str, Any]) -> bool:
    """Whether a value conforms to the *_value definition `kind`; dates must exist."""
    if not jsonschema.Draft202012Validator(schema["$defs"][kind]).is_valid(value):
        return False
    if kind in ("date_value", "timestamp_value"):
        try:
            datetime.date.fromisoformat(value[:10])
        except ValueError:
            return False
    return True
