"""`audience summary` prints its sections as aligned tables (tabulate), one row per line
starting with its label, numbers formatted with thousands separators."""

from __future__ import annotations

from orchestration.summary import format_distribution, format_raw_sources, format_segment_sizes


def test_segment_sizes_are_a_table_under_a_header():
    lines = format_segment_sizes(
        [("churn_risk", "Churn risk", 1234, 5, 10, None, True), ("vip", "VIP", 0, 0, 0, 0, False)]
    )
    assert lines[1] == "Segments (members as of the latest build)"
    assert lines[3].split() == ["segment", "members", "holdout", "entered", "left", "export"]
    assert lines[5].split() == ["churn_risk", "1,234", "5", "10", "0", "yes"]
    assert lines[6].split()[:2] == ["vip", "0"] and lines[6].endswith("no (below min_size)")


def test_empty_sections_say_so():
    assert format_segment_sizes([])[-1] == "not built"
    assert format_distribution("Lifecycle stages (persons)", [])[-1] == "not built"


def test_distribution_rows_end_with_persons_and_share():
    lines = format_distribution("RFM segments (customers)", [("Cannot Lose Them", 1500, 0.25)])
    assert lines[-1].split()[-2:] == ["1,500", "25.0%"]
    assert lines[-1].startswith("Cannot Lose Them ")


def test_raw_sources_name_absent_tables_and_rejected_files():
    lines = format_raw_sources([("contacts", 0, 0, None), ("tracks", 3, 1, "t/x.parquet: bad")])
    assert lines[0] == "Raw sources"
    assert lines[2].split() == ["contacts", "absent", "(empty)"]
    assert lines[3].split() == ["tracks", "3", "files", "1", "rejected"]
    assert "rejected: t/x.parquet: bad" in lines[4]
