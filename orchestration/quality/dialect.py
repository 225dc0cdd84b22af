"""The suites (expectations/*.json) are written once, in DuckDB's SQL and type names. On another
engine each frame's query is transpiled with sqlglot, and the suites' column types are compared
with the engine's after translating them into its dialect. REGEXP_FULL_MATCH, which Spark lacks,
becomes an RLIKE anchored at both ends, epoch() keeps its fraction of a second (Spark's
UNIX_TIMESTAMP, sqlglot's translation, drops it), and a literal such as 1.0 is a double, as the
averages and shares it makes are on DuckDB (on Spark a decimal literal makes a decimal
average, rounded to a few places)."""

from __future__ import annotations

import sqlglot
from sqlglot import exp

SUITES_DIALECT = "duckdb"


class NotTranslatable(ValueError):
    """A suite's SQL or type that sqlglot cannot read as DuckDB's."""


def _portable(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Literal) and not node.is_string and "." in node.this:
        return exp.cast(node.copy(), exp.DataType.Type.DOUBLE)
    if isinstance(node, exp.TimeToUnix):
        million = exp.cast(exp.Literal.number(1_000_000), exp.DataType.Type.DOUBLE)
        return exp.Div(this=exp.func("unix_micros", node.this), expression=million)
    if not isinstance(node, exp.RegexpFullMatch):
        return node
    pattern = node.expression
    anchored: exp.Expression = (
        exp.Literal.string(f"^(?:{pattern.this})$")
        if isinstance(pattern, exp.Literal) and pattern.is_string
        else exp.func("concat", exp.Literal.string("^(?:"), pattern, exp.Literal.string(")$"))
    )
    return exp.RegexpLike(this=node.this, expression=anchored)


def for_engine(sql: str, engine: str) -> str:
    """A frame's query as the engine reads it."""
    if engine == SUITES_DIALECT:
        return sql
    try:
        tree = sqlglot.parse_one(sql, read=SUITES_DIALECT)
    except sqlglot.errors.ParseError as error:
        raise NotTranslatable(f"not DuckDB SQL sqlglot reads: {error}") from None
    return tree.transform(_portable).sql(dialect=engine)


def same_type(suite_type: str, engine_type: str, engine: str) -> bool:
    """Whether a suite's type (DuckDB's name) is the engine's type of a column."""
    if engine == SUITES_DIALECT:
        return suite_type.upper() == engine_type.upper()
    try:
        expected = exp.DataType.build(suite_type, dialect=SUITES_DIALECT)
        found = exp.DataType.build(engine_type, dialect=engine)
    except (sqlglot.errors.ParseError, ValueError):
        return False
    return expected.sql(dialect=engine) == found.sql(dialect=engine)
