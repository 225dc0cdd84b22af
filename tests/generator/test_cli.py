"""The `generate` subcommand as the project CLI wires it."""

from __future__ import annotations

import argparse
import datetime
import json

import pytest

from orchestration.generator import add_generate_parser


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="audience")
    add_generate_parser(root.add_subparsers(dest="command", required=True))
    return root


def test_generate_command_writes_data_and_prints_a_summary(tmp_path, capsys):
    args = parser().parse_args(
        [
            "generate",
            "--users",
            "200",
            "--days",
            "5",
            "--seed",
            "9",
            "--out",
            str(tmp_path),
            "--start-date",
            "2026-11-02",
            "--defect-rate",
            "0.02",
            "--no-progress",
        ]
    )
    assert args.start_date == datetime.date(2026, 11, 2)
    assert args.handler(args) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["start_date"] == "2026-11-02" and manifest["seed"] == 9
    printed = capsys.readouterr().out
    assert "tracks" in printed and "defects tracks" in printed and " s" in printed
    assert f"{manifest['tables']['pages']['rows']:,}" in printed


def test_bad_arguments_are_rejected(tmp_path):
    with pytest.raises(SystemExit):
        parser().parse_args(
            [
                "generate",
                "--users",
                "10",
                "--days",
                "2",
                "--out",
                str(tmp_path),
                "--start-date",
                "01/10/2026",
            ]
        )
    args = parser().parse_args(["generate", "--users", "0", "--days", "2", "--out", str(tmp_path)])
    with pytest.raises(SystemExit, match="users"):
        args.handler(args)
