"""`audience privacy-report`: a Markdown report for a data protection officer: where PII lives
(every column tagged `contains_pii` in the dbt YAML, by model and schema, and which schemas are
restricted), consent coverage per purpose, deletion requests received, carried out and pending,
removals still owed by destinations, what the purges deleted, and the retention settings."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

import duckdb
import yaml

from orchestration.warehouse import add_warehouse_argument, connect_read_only, warehouse_setting

PROJECT_FILE = Path(__file__).resolve().parent.parent / "dbt_project.yml"
PURPOSES = ("analytics", "email_marketing", "ads_personalization")
SETTINGS = (
    "pii_schemas",
    "require_analytics_consent",
    "event_retention_days",
    "history_retention_days",
)


def pii_columns(manifest: dict) -> list[tuple[str, str, str, str]]:
    """(schema, relation, column, pii_kind) of every tagged column of a model, snapshot or
    source, by schema and relation."""
    rows = []
    nodes = list(manifest["nodes"].values()) + list(manifest["sources"].values())
    for node in nodes:
        if node["resource_type"] not in ("model", "snapshot", "source"):
            continue
        for name, column in node["columns"].items():
            meta = column.get("config", {}).get("meta") or column.get("meta") or {}
            if meta.get("contains_pii"):
                relation = node.get("alias") or node.get("identifier") or node["name"]
                rows.append((node["schema"], relation, name, meta.get("pii_kind", "unspecified")))
    return sorted(rows)


def exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def consent_coverage(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int, int]]:
    """(purpose, persons, with a record for it, granted now) over dim_persons' persons."""
    if not exists(con, "analytics", "dim_persons"):
        return []
    rows = []
    for purpose in PURPOSES:
        rows.append(
            (
                purpose,
                *con.execute(
                    f"""
                    select count(*), count({purpose}_consent_recorded_at),
                        count(*) filter (where is_{purpose}_consented)
                    from analytics.dim_persons
                    """
                ).fetchone(),
            )
        )
    return rows


def deletion_status(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Deletion requests received (raw), carried out, purged and pending, and the erased persons'
    removals each destination still owes."""
    rows = []
    received = None
    if exists(con, "raw", "deletion_requests"):
        received = con.execute(
            "select count(distinct request_id) from raw.deletion_requests"
        ).fetchone()[0]
        rows.append(("requests received (raw crm.deletion_requests)", received))
    if exists(con, "pii", "int_identifiers_erased"):
        done, purged = con.execute(
            "select count(distinct request_id), "
            "count(distinct request_id) filter (where purged_at is not null) "
            "from pii.int_identifiers_erased"
        ).fetchone()
        rows += [
            ("requests carried out (persons left out of every mart)", done),
            ("requests purged (rows deleted everywhere)", purged),
            ("requests awaiting their purge", done - purged),
        ]
        if received is not None:
            rows.append(("requests awaiting the next refresh", max(received - done, 0)))
    if exists(con, "sync", "sync_state"):
        columns = {r[0] for r in con.execute("describe sync.sync_state").fetchall()}
        if "is_erased" in columns:
            rows += con.execute(
                "select 'removals owed by ' || destination, count(*) from sync.sync_state "
                "where is_erased group by destination order by destination"
            ).fetchall()
    return rows


def deletions_done(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int, object]]:
    """(reason, table, rows deleted, last deletion) from the deletion log."""
    if not exists(con, "pii", "deletion_log"):
        return []
    return con.execute(
        "select reason, relation_name, sum(rows_deleted), max(deleted_at) from pii.deletion_log "
        "group by all order by 1, 2"
    ).fetchall()


def table(header: list[str], rows: list[tuple]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(value) for value in row) + " |" for row in rows]
    return lines


def format_report(con: duckdb.DuckDBPyConnection, manifest: dict, project: dict) -> str:
    settings = project.get("vars", {})
    restricted = settings.get("pii_schemas", [])
    columns = pii_columns(manifest)
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# Privacy report ({now})", "", "## Where PII lives", ""]
    lines.append(
        f"{len(columns)} tagged columns. Restricted schemas (grant BI tools none of them): "
        f"{', '.join(restricted)}. Any other schema holding a tagged column is a finding."
    )
    lines.append("")
    lines += table(
        ["schema", "relation", "column", "kind", "restricted"],
        [(s, r, c, k, "yes" if s in restricted or s == "raw" else "NO") for s, r, c, k in columns],
    )
    lines += ["", "## Consent coverage", ""]
    coverage = consent_coverage(con)
    lines += (
        table(
            ["purpose", "persons", "with a record", "granted now", "granted share"],
            [(p, n, r, g, f"{g / n:.1%}" if n else "-") for p, n, r, g in coverage],
        )
        if coverage
        else ["dim_persons not built."]
    )
    lines += ["", "## Deletion requests", ""]
    status = deletion_status(con)
    lines += table(["", "count"], status) if status else ["No deletion requests yet."]
    lines += ["", "## Deletions done (deletion log)", ""]
    done = deletions_done(con)
    lines += table(["reason", "table", "rows deleted", "last"], done) if done else ["None yet."]
    lines += ["", "## Settings (dbt_project.yml vars)", ""]
    lines += table(["setting", "value"], [(name, settings.get(name)) for name in SETTINGS])
    return "\n".join(lines) + "\n"


def run_privacy_report(args: argparse.Namespace) -> int:
    if not args.manifest.exists():
        print(
            f"No dbt manifest at {args.manifest} (--manifest, default target/manifest.json): "
            "run `dbt parse` first.",
            file=sys.stderr,
        )
        return 1
    try:
        con = connect_read_only(warehouse_setting(args.warehouse))
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    manifest = json.loads(args.manifest.read_text())
    project = yaml.safe_load(PROJECT_FILE.read_text())
    with con:
        report = format_report(con, manifest, project)
    if args.out:
        args.out.write_text(report)
    else:
        print(report, end="")
    return 0


def add_privacy_report_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "privacy-report",
        help="write a Markdown privacy report of the built warehouse",
        description=(
            "Write a Markdown report for a data protection officer: where PII lives, consent "
            "coverage per purpose, deletion requests and what the purges deleted, removals still "
            "owed by destinations, and the retention settings."
        ),
    )
    add_warehouse_argument(parser)
    parser.add_argument(
        "--manifest",
        type=Path,
        default=Path("target/manifest.json"),
        help="dbt manifest listing the tagged columns (default: target/manifest.json)",
    )
    parser.add_argument("--out", type=Path, default=None, help="file to write (default: stdout)")
    parser.set_defaults(handler=run_privacy_report)
