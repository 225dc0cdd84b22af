"""What both ways to Spark (a session, a Thrift server) ask the catalog the same way."""

from __future__ import annotations

from orchestration.warehouse.connection import Warehouse
from orchestration.warehouse.errors import MissingRelation


class SparkCatalog(Warehouse):
    engine = "spark"

    def relation_names(self, schema: str) -> list[str]:
        try:
            rows = self.execute(f"show tables in {schema}").fetchall()
        except MissingRelation:
            return []
        return sorted(name for _, name, is_temporary in rows if not is_temporary)
