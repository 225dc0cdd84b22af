"""`audience summary`: which raw sources were read (and which were absent or had files left out),
row counts of what dbt built, what staging quarantined, how persons spread over RFM segments and
lifecycle stages, and the size of every segment."""

from __future__ import annotations

import argparse
import sys

from tabulate import tabulate

from orchestration.relations import Relation, deprecated_relations, relation, schema, source
from orchestration.warehouse import (
    MissingRelation,
    Warehouse,
    add_warehouse_argument,
    connect_read_only,
    warehouse_setting,
)

# the custom schemas (dbt_project.yml) whose relations are counted
LAYER_SCHEMAS = ("staging", "pii", "analytics", "exports")


def model_row_counts(con: Warehouse) -> list[tuple[str, str, int]]:
    """(schema, relation, rows) for every staging view and mart; quarantine views and the views
    under the old names of renamed tables (the same rows as their new names) excluded."""
    deprecated = deprecated_relations()
    counted = [
        Relation(schema(custom), name)
        for custom in sorted(LAYER_SCHEMAS, key=schema)
        for name in con.relation_names(schema(custom))
        if not name.startswith("base_") and not name.endswith("_quarantine")
    ]
    return [
        (where, name, con.execute(f"select count(*) from {where}.{name}").fetchone()[0])
        for where, name in counted
        if Relation(where, name) not in deprecated
    ]


def quarantine_counts(con: Warehouse) -> list[tuple[str, str, str, int]]:
    """(source_table, action, reason, rows) over every quarantine view."""
    staging = schema("staging")
    views = [name for name in con.relation_names(staging) if name.endswith("_quarantine")]
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


def raw_sources(con: Warehouse) -> list[tuple[str, int, int, str | None]]:
    """(table, files read, files rejected, the first rejection) per raw view; a table with no
    file read is absent (an optional source, empty). Empty when raw data is read from warehouse
    tables (no raw_files table in the raw schema)."""
    raw = source("segment.tracks").schema
    try:
        checked = con.execute(
            f"""
            with checks as (
                select table_name, file, status, reason,
                    row_number() over (
                        partition by source_name, table_name, file order by checked_at desc
                    ) as newness
                from {raw}.raw_files
            )
            select table_name, count(*) filter (where status = 'read'),
                count(*) filter (where status = 'rejected'),
                min(file || ': ' || reason) filter (where status = 'rejected')
            from checks
            where newness = 1
            group by table_name
            """
        ).fetchall()
    except MissingRelation:
        return []
    counts = {table_name: tuple(found) for table_name, *found in checked}
    return [
        (table_name, *counts.get(table_name, (0, 0, None)))
        for table_name in con.relation_names(raw)
        if table_name not in ("raw_files", "raw_invalid_lines")
    ]


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


def identity_counts(con: Warehouse) -> list[tuple[str, int]]:
    """Persons, identifiers and identifiers kept out of merging, when identity has been built."""
    identities = relation("dim_identities")
    if not con.has_relation(identities):
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


def bot_counts(con: Warehouse) -> list[tuple[str, int]]:
    """(label, rows) of staged page views and track events flagged is_bot (kept in staging, left
    out of sessions and person events), for the staging views built with the flag."""
    views = [(label, relation(model)) for label, model in BOT_COUNTED]
    return [
        (label, con.execute(f"select count(*) from {view} where is_bot").fetchone()[0])
        for label, view in views
        if "is_bot" in dict(con.columns(view))
    ]


def distribution(con: Warehouse, column: str) -> list[tuple[str, int, float]]:
    """(value, persons, share) of a dim_persons column, largest first; empty when not built."""
    persons = relation("dim_persons")
    if column not in dict(con.columns(persons)):
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


def segment_sizes(con: Warehouse) -> list[tuple]:
    """(segment, label, members, holdout members, entries, exits, exportable) as of the latest
    build, by segment name; empty when segments have not been built."""
    segments = relation("dim_segments")
    if not con.has_relation(segments):
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


def format_summary(con: Warehouse) -> str:
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
