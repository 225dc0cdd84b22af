"""Synthetic raw data for the audience warehouse: Segment event tables, CRM/shop tables,
ground truth and a manifest, written as Parquet under one output directory.

    generate(out_dir, users=5_000, days=30)

writes raw/<table>/part-NNNNN.parquet (columns and types exactly as the dbt sources YAML
declares them), truth/persons.parquet, truth/identifiers.parquet and manifest.json.
Same arguments, same bytes.
"""

from .command import add_generate_parser
from .personas import DEFAULT_MIX
from .run import DEFAULT_START_DATE, GENERATOR_VERSION, generate

__all__ = [
    "DEFAULT_MIX",
    "DEFAULT_START_DATE",
    "GENERATOR_VERSION",
    "add_generate_parser",
    "generate",
]
