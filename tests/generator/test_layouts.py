"""Vendor naming rules and the layouts the generator writes from one simulated world."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.cli import main
from orchestration.generator.layouts import LAYOUTS
from orchestration.generator.layouts.naming import rudderstack_name, snake_case
from orchestration.raw_layout import LAYOUTS as CONFIGURABLE
from orchestration.raw_layout import LayoutError, event_layout


@pytest.mark.parametrize(
    ("name", "expected"),
    [  # go-snakecase's own test vectors, and the tracking plan's style of names
        ("sample 2 Text", "sample_2_text"),
        ("FOO:BAR$BAZ", "foo_bar_baz"),
        ("something.com", "something_com"),
        ("$something%", "something"),
        ("userID", "user_id"),
        ("Product Viewed", "product_viewed"),
        ("1st Purchase", "1st_purchase"),
    ],
)
def test_segment_names_tables_and_columns_in_snake_case(name, expected):
    assert snake_case(name) == expected


def test_rudderstack_prefixes_leading_digits_and_its_own_table_names():
    assert rudderstack_name("1st Purchase") == "_1st_purchase"
    assert rudderstack_name("Users") == "_users"
    assert rudderstack_name("Order Completed") == "order_completed"


@pytest.mark.parametrize("layout", ["segment_warehouse", "snowplow_atomic"])
def test_generate_writes_a_layout_from_the_same_world(tmp_path, layout, capsys):
    args = ["generate", "--users", "120", "--days", "3", "--seed", "4", "--no-progress"]
    assert main([*args, "--out", str(tmp_path / "json")]) == 0
    assert main([*args, "--out", str(tmp_path / layout), "--layout", layout]) == 0
    assert f"layout {layout}" in capsys.readouterr().out
    with duckdb.connect() as con:
        tracks = con.execute(
            f"select count(*) from '{tmp_path}/json/raw/tracks/*.parquet' "
            "where json_valid(properties)"
        ).fetchone()[0]
        if layout == "snowplow_atomic":
            written = con.execute(
                f"select count(*) from '{tmp_path}/{layout}/raw/events/*.parquet' "
                "where event <> 'page_view' and event_name <> 'identify'"
            ).fetchone()[0]
        else:
            written = con.execute(
                f"select count(*) from '{tmp_path}/{layout}/raw/tracks/*.parquet'"
            ).fetchone()[0]
            viewed = con.execute(
                f"select count(*), count(price) from "
                f"'{tmp_path}/{layout}/raw/product_viewed/*.parquet'"
            ).fetchone()
            assert viewed[0] == viewed[1] > 0
    assert written == tracks > 0


def test_the_generator_writes_every_layout_dbt_reads():
    assert tuple(LAYOUTS) == CONFIGURABLE


def test_an_unknown_event_layout_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("AUDIENCE_EVENT_LAYOUT", "snowplow")
    with pytest.raises(LayoutError, match="AUDIENCE_EVENT_LAYOUT: expected one of"):
        event_layout()
