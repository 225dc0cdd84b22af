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

import yaml

from orchestration.paths import DBT_PROJECT_FILE
from orchestration.relations import Manifest, Relation, relation, schemas, source
from orchestration.warehouse import (
    Warehouse,
    add_warehouse_argument,
    connect_read_only,
    warehouse_setting,
)

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


def deletion_log(manifest: Manifest) -> Relation:
    """The deletion log, which macros/privacy/deletion_log.sql keeps beside the erasure list."""
    return Relation(relation("int_identifiers_erased", manifest).schema, "deletion_log")


def consent_coverage(con: Warehouse, manifest: Manifest) -> list[tuple[str, int, int, int]]:
    """(purpose, persons, with a record for it, granted now) over dim_persons' persons."""
    persons = relation("dim_persons", manifest)
    if not con.has_relation(persons):
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
                    from {persons}
                    """
                ).fetchone(),
            )
        )
    return rows


def deletion_status(con: Warehouse, manifest: Manifest) -> list[tuple[str, int]]:
    """Deletion requests received (raw), carried out, purged and pending, and the erased persons'
    removals each destination still owes."""
    rows = []
    received = None
    requests = source("crm.deletion_requests", manifest)
    erased = relation("int_identifiers_erased", manifest)
    if con.has_relation(requests):
        received = con.execute(f"select count(distinct request_id) from {requests}").fetchone()[0]
        rows.append(("requests received (raw crm.deletion_requests)", received))
    if con.has_relation(erased):
        done, purged = con.execute(
            "select count(distinct request_id), "
            "count(distinct request_id) filter (where purged_at is not null) "
            f"from {erased}"
        ).fetchone()
        rows += [
            ("requests carried out (persons left out of every mart)", done),
            ("requests purged (rows deleted everywhere)", purged),
            ("requests awaiting their purge", done - purged),
        ]
        if received is not None:
            rows.append(("requests awaiting the next refresh", max(received - done, 0)))
    # written by the syncs (orchestration/sync/state.py), not a dbt model
    if "is_erased" in dict(con.columns(Relation("sync", "sync_state"))):
        rows += con.execute(
            "select 'removals owed by ' || destination, count(*) from sync.sync_state "
            "where is_erased group by destination order by destination"
        ).fetchall()
    return rows


def deletions_done(con: Warehouse, manifest: Manifest) -> list[tuple[str, str, int, object]]:
    """(reason, table, rows deleted, last deletion) from the deletion log."""
    log = deletion_log(manifest)
    if not con.has_relation(log):
        return []
    return con.execute(
        f"select reason, relation_name, sum(rows_deleted), max(deleted_at) from {log} "
        "group by all order by 1, 2"
    ).fetchall()


def table(header: list[str], rows: list[tuple]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(value) for value in row) + " |" for row in rows]
    return lines


def format_report(con: Warehouse, manifest: dict, project: dict) -> str:
    settings = project.get("vars", {})
    restricted = settings.get("pii_schemas", [])
    # the schemas they are built in (AUDIENCE_SCHEMA_PREFIX applied), and where raw data is read
    built = schemas(manifest)
    protected = {built.get(name, name) for name in restricted}
    protected |= {s["schema"] for s in manifest["sources"].values()} or {"raw"}
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
        [(s, r, c, k, "yes" if s in protected else "NO") for s, r, c, k in columns],
    )
    lines += ["", "## Consent coverage", ""]
    coverage = consent_coverage(con, manifest)
    lines += (
        table(
            ["purpose", "persons", "with a record", "granted now", "granted share"],
            [(p, n, r, g, f"{g / n:.1%}" if n else "-") for p, n, r, g in coverage],
        )
        if coverage
        else ["dim_persons not built."]
    )
    lines += ["", "## Deletion requests", ""]
    status = deletion_status(con, manifest)
    lines += table(["", "count"], status) if status else ["No deletion requests yet."]
    lines += ["", "## Deletions done (deletion log)", ""]
    done = deletions_done(con, manifest)
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
    project = yaml.safe_load(DBT_PROJECT_FILE.read_text())
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
