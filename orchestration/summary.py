"""`audience summary`: which raw sources were read (and which were absent or had files left out),
row counts of what dbt built, what staging quarantined, how persons spread over RFM segments and
lifecycle stages, and the size of every segment."""

from __future__ import annotations

import argparse
import sys

import duckdb

from orchestration.warehouse import add_warehouse_argument, connect_read_only, warehouse_setting

LAYER_SCHEMAS = ("staging", "pii", "analytics", "exports")


def model_row_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(schema, relation, rows) for every staging view and mart, quarantine views excluded."""
    relations = con.execute(
        """
        select table_schema, table_name
        from information_schema.tables
        where table_schema in (select unnest(?))
          and not table_name like 'base\\_%' escape '\\'
          and not table_name like '%\\_quarantine' escape '\\'
        order by table_schema, table_name
        """,
        [list(LAYER_SCHEMAS)],
    ).fetchall()
    return [
        (schema, name, con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0])
        for schema, name in relations
    ]


def quarantine_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, int]]:
    """(source_table, action, reason, rows) over every quarantine view."""
    views = [
        row[0]
        for row in con.execute(
            """
            select table_name from information_schema.tables
            where table_schema = 'staging' and table_name like '%\\_quarantine' escape '\\'
            order by table_name
            """
        ).fetchall()
    ]
    if not views:
        return []
    union = " union all ".join(
        f"select source_table, quarantine_action, quarantine_reason from staging.{view}"
        for view in views
    )
    return con.execute(
        f"select source_table, quarantine_action, quarantine_reason, count(*) as row_count "
        f"from ({union}) group by all order by 1, 2, 3"
    ).fetchall()


def raw_sources(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int, str | None]]:
    """(table, files read, files rejected, the first rejection) per raw view; a table with no
    file read is absent (an optional source, empty). Empty when raw data is read from warehouse
    tables (no raw.raw_files)."""
    try:
        return con.execute(
            """
            with newest as (
                select table_name, file, status, reason
                from raw.raw_files
                qualify row_number() over (
                    partition by source_name, table_name, file order by checked_at desc
                ) = 1
            )
            select v.table_name, count(*) filter (where n.status = 'read'),
                count(*) filter (where n.status = 'rejected'),
                min(n.file || ': ' || n.reason) filter (where n.status = 'rejected')
            from information_schema.tables as v
            left join newest as n on v.table_name = n.table_name
            where v.table_schema = 'raw' and v.table_name not in ('raw_files', 'raw_invalid_lines')
            group by v.table_name order by v.table_name
            """
        ).fetchall()
    except duckdb.CatalogException:
        return []


def format_raw_sources(rows: list[tuple[str, int, int, str | None]]) -> list[str]:
    """Which raw tables were read from how many files, which were absent and which files were
    left out as corrupt."""
    lines = ["Raw sources", "-----------"]
    for table, read, rejected, first in rows:
        state = f"{read:,} files" if read else "absent (empty)"
        lines.append(f"{table:<47} {state:>14}" + (f", {rejected:,} rejected" if rejected else ""))
        if first:
            lines.append(f"  rejected: {first}")
    return [*lines, ""]


def identity_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Persons, identifiers and identifiers kept out of merging, when identity has been built."""
    built = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'pii' and table_name = 'dim_identities'"
    ).fetchone()[0]
    if not built:
        return []
    persons, identifiers, excluded = con.execute(
        """
        select count(distinct person_id), count(*), count(*) filter (where is_excluded_from_merging)
        from pii.dim_identities
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
        row[0]
        for row in con.execute(
            "select table_name from information_schema.columns "
            "where table_schema = 'staging' and column_name = 'is_bot'"
        ).fetchall()
    }
    return [
        (label, con.execute(f"select count(*) from staging.{view} where is_bot").fetchone()[0])
        for label, view in BOT_COUNTED
        if view in flagged
    ]


def distribution(con: duckdb.DuckDBPyConnection, column: str) -> list[tuple[str, int, float]]:
    """(value, persons, share) of a dim_persons column, largest first; empty when not built."""
    built = con.execute(
        "select count(*) from information_schema.columns "
        "where table_schema = 'analytics' and table_name = 'dim_persons' and column_name = ?",
        [column],
    ).fetchone()[0]
    if not built:
        return []
    return con.execute(
        f"""
        select {column}, count(*) as persons, count(*) / sum(count(*)) over () as share
        from analytics.dim_persons
        where {column} is not null
        group by {column}
        order by persons desc, {column}
        """
    ).fetchall()


def format_distribution(title: str, rows: list[tuple[str, int, float]]) -> list[str]:
    lines = ["", title, "-" * len(title)]
    lines += [f"{value:<38} {persons:>12,} {share:>8.1%}" for value, persons, share in rows]
    return lines if rows else [*lines, "not built"]


def segment_sizes(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(segment, label, members, holdout members, entries, exits, exportable) as of the latest
    build, by segment name; empty when segments have not been built."""
    built = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'analytics' and table_name = 'dim_segments'"
    ).fetchone()[0]
    if not built:
        return []
    return con.execute(
        """
        select segments.segment_name, segments.label, segments.members, segments.holdout_members,
            sizes.entries, sizes.exits, segments.is_exportable
        from analytics.dim_segments as segments
        left join analytics.agg_segment_sizes as sizes
            on sizes.segment_name = segments.segment_name
            and sizes.as_of_date = segments.as_of_date
        order by segments.segment_name
        """
    ).fetchall()


def format_segment_sizes(rows: list[tuple]) -> list[str]:
    title = "Segments (members as of the latest build)"
    lines = ["", title, "-" * len(title)]
    header = f"{'segment':<38} {'members':>9} {'holdout':>8} {'entered':>8} {'left':>6}  export"
    lines += [header] if rows else ["not built"]
    lines += [
        f"{name:<38} {members or 0:>9,} {holdout or 0:>8,} {entries or 0:>8,} {exits or 0:>6,}  "
        f"{'yes' if exportable else 'no (below min_size)'}"
        for name, _label, members, holdout, entries, exits, exportable in rows
    ]
    return lines


def format_summary(con: duckdb.DuckDBPyConnection) -> str:
    sources = raw_sources(con)
    lines = format_raw_sources(sources) if sources else []
    lines += ["Identity", "--------"]
    lines += [f"{label:<47} {count:>12,}" for label, count in identity_counts(con)] or ["not built"]
    lines += ["", "Rows per model", "--------------"]
    lines += [
        f"{schema + '.' + name:<47} {rows:>12,}" for schema, name, rows in model_row_counts(con)
    ]
    lines += ["", "Quarantined rows", "----------------"]
    quarantined = quarantine_counts(con)
    lines += [
        f"{source:<24} {action:<13} {reason:<26} {rows:>9,}"
        for source, action, reason, rows in quarantined
    ] or ["none"]
    lines += ["", "Bots (kept in staging, left out of sessions)", "-" * 44]
    lines += [f"{label:<47} {rows:>12,}" for label, rows in bot_counts(con)] or ["not built"]
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
