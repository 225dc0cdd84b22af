"""The Dagster code location's parts, one module per concern; definitions.py assembles them."""
