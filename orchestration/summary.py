"""`audience summary`: which raw sources were read (and which were absent or had files left out),
row counts of what dbt built, what staging quarantined, how persons spread over RFM segments and
lifecycle stages, and the size of every segment."""

from __future__ import annotations

import argparse
import sys

import duckdb
from tabulate import tabulate

from orchestration.relations import Relation, deprecated_relations, relation, schema, source
from orchestration.warehouse import (
    add_warehouse_argument,
    connect_read_only,
    has_relation,
    warehouse_setting,
)

# the custom schemas (dbt_project.yml) whose relations are counted
LAYER_SCHEMAS = ("staging", "pii", "analytics", "exports")


def model_row_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(schema, relation, rows) for every staging view and mart; quarantine views and the views
    under the old names of renamed tables (the same rows as their new names) excluded."""
    deprecated = deprecated_relations()
    found = con.execute(
        """
        select table_schema, table_name
        from information_schema.tables
        where table_schema in (select unnest(?))
          and not table_name like 'base\\_%' escape '\\'
          and not table_name like '%\\_quarantine' escape '\\'
        order by table_schema, table_name
        """,
        [[schema(custom) for custom in LAYER_SCHEMAS]],
    ).fetchall()
    return [
        (where, name, con.execute(f'select count(*) from "{where}"."{name}"').fetchone()[0])
        for where, name in found
        if Relation(where, name) not in deprecated
    ]


def quarantine_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, int]]:
    """(source_table, action, reason, rows) over every quarantine view."""
    staging = schema("staging")
    views = [
        row[0]
        for row in con.execute(
            """
            select table_name from information_schema.tables
            where table_schema = ? and table_name like '%\\_quarantine' escape '\\'
            order by table_name
            """,
            [staging],
        ).fetchall()
    ]
    if not views:
        return []
    union = " union all ".join(
        f"select source_table, quarantine_action, quarantine_reason from {staging}.{view}"
        for view in views
    )
    return con.execute(
        f"select source_table, quarantine_action, quarantine_reason, count(*) as row_count "
        f"from ({union}) group by all order by 1, 2, 3"
    ).fetchall()


def raw_sources(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int, str | None]]:
    """(table, files read, files rejected, the first rejection) per raw view; a table with no
    file read is absent (an optional source, empty). Empty when raw data is read from warehouse
    tables (no raw_files table in the raw schema)."""
    raw = source("segment.tracks").schema
    try:
        return con.execute(
            f"""
            with newest as (
                select table_name, file, status, reason
                from {raw}.raw_files
                qualify row_number() over (
                    partition by source_name, table_name, file order by checked_at desc
                ) = 1
            )
            select v.table_name, count(*) filter (where n.status = 'read'),
                count(*) filter (where n.status = 'rejected'),
                min(n.file || ': ' || n.reason) filter (where n.status = 'rejected')
            from information_schema.tables as v
            left join newest as n on v.table_name = n.table_name
            where v.table_schema = ? and v.table_name not in ('raw_files', 'raw_invalid_lines')
            group by v.table_name order by v.table_name
            """,
            [raw],
        ).fetchall()
    except duckdb.CatalogException:
        return []


def table(rows: list[tuple], headers: tuple[str, ...] = (), align: str = "lr") -> list[str]:
    """Rows as an aligned plain-text table (under a header line when headers are given), column
    i aligned left or right as align[i] says (`l`, `r`; the last letter for the columns after);
    numbers are formatted by the caller."""
    if not rows:
        return []
    width = len(rows[0])
    align = align.ljust(width, align[-1])
    text = tabulate(
        [["" if value is None else str(value) for value in row] for row in rows],
        headers=list(headers),
        tablefmt="simple" if headers else "plain",
        colalign=["left" if a == "l" else "right" for a in align[:width]],
        disable_numparse=True,
    )
    return text.splitlines()


def section(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def format_raw_sources(rows: list[tuple[str, int, int, str | None]]) -> list[str]:
    """Which raw tables were read from how many files, which were absent and which files were
    left out as corrupt."""
    lines = section("Raw sources")[1:]
    lines += table(
        [
            (
                name,
                f"{read:,} files" if read else "absent (empty)",
                f"{rejected:,} rejected" if rejected else "",
            )
            for name, read, rejected, _ in rows
        ],
        align="lrr",
    )
    lines += [f"{name} rejected: {first}" for name, _, _, first in rows if first]
    return [*lines, ""]


def identity_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Persons, identifiers and identifiers kept out of merging, when identity has been built."""
    identities = relation("dim_identities")
    if not has_relation(con, *identities):
        return []
    persons, identifiers, excluded = con.execute(
        f"""
        select count(distinct person_id), count(*), count(*) filter (where is_excluded_from_merging)
        from {identities}
        """
    ).fetchone()
    return [
        ("persons", persons),
        ("identifiers", identifiers),
        ("identifiers kept out of merging", excluded),
    ]


BOT_COUNTED = (
    ("bot page views", "stg_segment__pages"),
    ("bot track events", "stg_segment__tracks"),
)


def bot_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(label, rows) of staged page views and track events flagged is_bot (kept in staging, left
    out of sessions and person events), for the staging views built with the flag."""
    flagged = {
        (row[0], row[1])
        for row in con.execute(
            "select table_schema, table_name from information_schema.columns "
            "where column_name = 'is_bot'"
        ).fetchall()
    }
    views = [(label, relation(model)) for label, model in BOT_COUNTED]
    return [
        (label, con.execute(f"select count(*) from {view} where is_bot").fetchone()[0])
        for label, view in views
        if (view.schema, view.name) in flagged
    ]


def distribution(con: duckdb.DuckDBPyConnection, column: str) -> list[tuple[str, int, float]]:
    """(value, persons, share) of a dim_persons column, largest first; empty when not built."""
    persons = relation("dim_persons")
    built = con.execute(
        "select count(*) from information_schema.columns "
        "where table_schema = ? and table_name = ? and column_name = ?",
        [persons.schema, persons.name, column],
    ).fetchone()[0]
    if not built:
        return []
    return con.execute(
        f"""
        select {column}, count(*) as persons, count(*) / sum(count(*)) over () as share
        from {persons}
        where {column} is not null
        group by {column}
        order by persons desc, {column}
        """
    ).fetchall()


def format_distribution(title: str, rows: list[tuple[str, int, float]]) -> list[str]:
    lines = section(title)
    lines += table([(value, f"{n:,}", f"{share:.1%}") for value, n, share in rows])
    return lines if rows else [*lines, "not built"]


def segment_sizes(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(segment, label, members, holdout members, entries, exits, exportable) as of the latest
    build, by segment name; empty when segments have not been built."""
    segments = relation("dim_segments")
    built = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [segments.schema, segments.name],
    ).fetchone()[0]
    if not built:
        return []
    return con.execute(
        f"""
        select segments.segment_name, segments.label, segments.members, segments.holdout_members,
            sizes.entries, sizes.exits, segments.is_exportable
        from {segments} as segments
        left join {relation("agg_segment_sizes")} as sizes
            on sizes.segment_name = segments.segment_name
            and sizes.as_of_date = segments.as_of_date
        order by segments.segment_name
        """
    ).fetchall()


SEGMENT_HEADERS = ("segment", "members", "holdout", "entered", "left", "export")


def format_segment_sizes(rows: list[tuple]) -> list[str]:
    lines = section("Segments (members as of the latest build)")
    sizes = [
        (
            name,
            *(f"{count or 0:,}" for count in (members, holdout, entries, exits)),
            "yes" if exportable else "no (below min_size)",
        )
        for name, _label, members, holdout, entries, exits, exportable in rows
    ]
    return lines + (table(sizes, SEGMENT_HEADERS, align="lrrrrl") if rows else ["not built"])


def format_summary(con: duckdb.DuckDBPyConnection) -> str:
    sources = raw_sources(con)
    lines = format_raw_sources(sources) if sources else []
    lines += section("Identity")[1:]
    lines += table([(label, f"{n:,}") for label, n in identity_counts(con)]) or ["not built"]
    lines += section("Rows per model")
    lines += table([(f"{where}.{name}", f"{n:,}") for where, name, n in model_row_counts(con)])
    lines += section("Quarantined rows")
    quarantined = [(*labels, f"{n:,}") for *labels, n in quarantine_counts(con)]
    lines += table(quarantined, align="lllr") or ["none"]
    lines += section("Bots (kept in staging, left out of sessions)")
    lines += table([(label, f"{n:,}") for label, n in bot_counts(con)]) or ["not built"]
    lines += format_distribution("RFM segments (customers)", distribution(con, "rfm_segment"))
    lines += format_distribution("Lifecycle stages (persons)", distribution(con, "lifecycle_stage"))
    lines += format_segment_sizes(segment_sizes(con))
    return "\n".join(lines)


def run_summary(args: argparse.Namespace) -> int:
    try:
        con = connect_read_only(warehouse_setting(args.warehouse))
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    with con:
        print(format_summary(con))
    return 0


def add_summary_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "summary",
        help="print row counts of the built warehouse",
        description=(
            "Print which raw sources were read, row counts of what dbt built, what staging "
            "quarantined, how persons spread over RFM segments and lifecycle stages, and the size "
            "of every segment."
        ),
    )
    add_warehouse_argument(parser)
    parser.set_defaults(handler=run_summary)
