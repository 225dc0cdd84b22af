"""The quality gates, in pipeline order: which suites each one runs. `audience refresh` and the
Dagster code location (one asset-check op per gate) both read this list.

- warehouse: raw, staging and marts; a blocking failure stops the exports and the publish.
- exports: the export models; a blocking failure stops the syncs."""

from __future__ import annotations

from typing import Final

WAREHOUSE_GATE: Final = "warehouse_quality"
EXPORTS_GATE: Final = "exports_quality"

# gate (the Dagster op's name) -> the suites it runs
GATES: Final[dict[str, list[str]]] = {
    WAREHOUSE_GATE: ["raw", "staging", "marts"],
    EXPORTS_GATE: ["exports"],
}
