"""The errors warehouse access raises on every engine, so callers catch these and never an
engine's own exception types."""

from __future__ import annotations


class WarehouseError(RuntimeError):
    """A statement failed on the warehouse (the engine's error is chained as the cause)."""


class MissingRelation(WarehouseError):
    """A statement named a table, view or schema the warehouse does not hold."""


class WarehouseBusy(WarehouseError):
    """Another process holds the warehouse; the message says who and what to do."""

    kind = "busy"
