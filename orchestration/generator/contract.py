"""The raw-data contract: table columns and types from the dbt sources YAML, plus the seeds.

The sources YAML files are the single authority on what `generate` writes; every table is
checked against them (names, order and types) before it is written.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import yaml

from orchestration.paths import PROJECT_DIR

SOURCE_FILES = (
    Path("models/staging/segment/_segment__sources.yml"),
    Path("models/staging/crm/_crm__sources.yml"),
)
TABLES = (
    "tracks",
    "pages",
    "identifies",
    "contacts",
    "orders",
    "order_items",
    "products",
    "consents",
    "survey_responses",
    "deletion_requests",
)
ARROW_TYPES = {
    "varchar": pa.string(),
    "timestamp with time zone": pa.timestamp("us", tz="UTC"),
}


class ContractError(ValueError):
    """A generated table does not match the sources YAML (or the YAML is unusable)."""


@dataclass(frozen=True)
class TrackedEvent:
    """One row of seeds/tracking_plan.csv."""

    name: str
    category: str
    properties: tuple[str, ...]
    property_types: tuple[str, ...]  # string, number, integer or boolean, one per property


@dataclass(frozen=True)
class Country:
    """One row of seeds/countries.csv."""

    code: str
    name: str
    calling_code: str
    trunk_prefix: str
    national_number_length: int
    currency: str


@dataclass(frozen=True)
class Contract:
    """Schemas of the raw tables and the seed data the generator must honour."""

    schemas: dict[str, pa.Schema]
    tracking_plan: tuple[TrackedEvent, ...]
    currencies: dict[str, float]
    countries: tuple[Country, ...]

    def event_index(self, name: str) -> int:
        """Position of an event name in the tracking plan."""
        for i, event in enumerate(self.tracking_plan):
            if event.name == name:
                return i
        raise ContractError(f"event {name!r} is not in seeds/tracking_plan.csv")

    def table(self, name: str, columns: dict[str, pa.Array]) -> pa.Table:
        """Columns as a table in the contract's order; raises ContractError on any mismatch."""
        schema = self.schemas[name]
        missing = [c for c in schema.names if c not in columns]
        extra = [c for c in columns if c not in schema.names]
        if missing or extra:
            raise ContractError(
                f"raw table {name!r} does not match its sources YAML: "
                f"missing columns {missing}, unexpected columns {extra}"
            )
        for field in schema:
            actual = columns[field.name].type
            if actual != field.type:
                raise ContractError(
                    f"raw table {name!r}, column {field.name!r}: generated {actual}, "
                    f"the sources YAML says {field.type}"
                )
        return pa.Table.from_arrays([columns[c] for c in schema.names], schema=schema)


def _schemas(project_dir: Path) -> dict[str, pa.Schema]:
    schemas: dict[str, pa.Schema] = {}
    for relative in SOURCE_FILES:
        path = project_dir / relative
        if not path.is_file():
            raise ContractError(f"sources YAML not found: {path}")
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for source in document.get("sources", []):
            for table in source.get("tables", []):
                fields = []
                for column in table.get("columns", []):
                    data_type = str(column.get("data_type", "")).lower()
                    if data_type not in ARROW_TYPES:
                        raise ContractError(
                            f"{path}: {table['name']}.{column['name']} has data_type "
                            f"{data_type!r}; supported: {sorted(ARROW_TYPES)}"
                        )
                    fields.append(pa.field(column["name"], ARROW_TYPES[data_type]))
                schemas[table["name"]] = pa.schema(fields)
    missing = [t for t in TABLES if t not in schemas]
    if missing:
        raise ContractError(f"tables {missing} are not declared in {list(map(str, SOURCE_FILES))}")
    return {t: schemas[t] for t in TABLES}


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise ContractError(f"seed not found: {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


PROPERTY_TYPES = ("string", "number", "integer", "boolean")


def _tracked_events(
    events: list[dict[str, str]], properties: list[dict[str, str]]
) -> tuple[TrackedEvent, ...]:
    """The tracking plan: each event of tracking_plan.csv with its properties, in the order of
    tracking_plan_properties.csv."""
    names = {row["event_name"] for row in events}
    for line, row in enumerate(properties, start=2):
        if row["event_name"] not in names or row["property_type"] not in PROPERTY_TYPES:
            raise ContractError(
                f"seeds/tracking_plan_properties.csv, line {line}: expected an event of "
                f"tracking_plan.csv and a property_type among {PROPERTY_TYPES}, got "
                f"{row['event_name']!r} and {row['property_type']!r}"
            )
    return tuple(
        TrackedEvent(
            name=row["event_name"],
            category=row["event_category"],
            properties=tuple(
                p["property_name"] for p in properties if p["event_name"] == row["event_name"]
            ),
            property_types=tuple(
                p["property_type"] for p in properties if p["event_name"] == row["event_name"]
            ),
        )
        for row in events
    )


def load_contract(project_dir: Path | None = None) -> Contract:
    """Read the sources YAML and the seeds of the dbt project at project_dir (default: repo)."""
    root = Path(project_dir) if project_dir is not None else PROJECT_DIR
    plan = _tracked_events(
        _rows(root / "seeds/tracking_plan.csv"), _rows(root / "seeds/tracking_plan_properties.csv")
    )
    currencies = {
        row["currency_code"]: float(row["units_per_usd"])
        for row in _rows(root / "seeds/currencies.csv")
    }
    countries = tuple(
        Country(
            code=row["country_code"],
            name=row["country_name"],
            calling_code=row["calling_code"],
            trunk_prefix=row["trunk_prefix"],
            national_number_length=int(row["national_number_length"]),
            currency=row["default_currency"],
        )
        for row in _rows(root / "seeds/countries.csv")
    )
    unknown = {c.currency for c in countries} - set(currencies)
    if unknown:
        raise ContractError(f"countries.csv uses currencies missing from currencies.csv: {unknown}")
    return Contract(_schemas(root), plan, currencies, countries)
