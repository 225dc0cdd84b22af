"""Names as the Segment and RudderStack warehouse destinations write them (the dbt macros
snake_case and vendor_names read them back)."""

from __future__ import annotations

import re

RUDDERSTACK_OWN_TABLES = frozenset(
    ("tracks", "pages", "identifies", "users", "screens", "aliases", "groups", "accounts")
)


def snake_case(name: str) -> str:
    """Segment's rule (go-snakecase): `Product Viewed` -> `product_viewed`, `userID` ->
    `user_id`, `1st Purchase` -> `1st_purchase`."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")


def rudderstack_name(name: str) -> str:
    """RudderStack's rule: snake case, with an underscore in front of a leading digit and of an
    event named like one of its own tables."""
    snake = snake_case(name)
    return f"_{snake}" if snake[:1].isdigit() or snake in RUDDERSTACK_OWN_TABLES else snake
