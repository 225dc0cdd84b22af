"""Each chart of the report on small hand-made data: drawn with what the data says, titled, with
a unit and a reading guide; an empty table gives a figure that says so rather than empty axes."""

from __future__ import annotations

import pandas as pd
import pytest

from orchestration.report import charts
from orchestration.report.charts import CHARTS
from orchestration.report.page import render
from orchestration.report.sources import gate_frame
from tests.report.frames import frames, report_data, suite_runs


@pytest.mark.parametrize("build", CHARTS, ids=lambda build: build.__name__)
def test_every_chart_draws_its_data_with_a_title_unit_and_guide(build):
    chart = build(report_data())
    assert chart.title and chart.unit and chart.guide.endswith(".")
    assert chart.figure.data, f"{chart.key}: nothing drawn"
    assert not chart.figure.layout.annotations


@pytest.mark.parametrize(
    ("build", "table"),
    [
        (charts.segment_sizes, "sizes"),
        (charts.entries_and_exits, "sizes"),
        (charts.overlap, "overlap"),
        (charts.rfm_grid, "rfm"),
        (charts.lifecycle_flows, "lifecycle"),
        (charts.cohort_retention, "cohorts"),
        (charts.clusters, "clusters"),
        (charts.experiment_lifts, "experiments"),
    ],
)
def test_a_chart_without_data_says_so(build, table):
    empty = frames()[table].iloc[0:0]
    chart = build(report_data(**{table: empty}))
    assert [a.text for a in chart.figure.layout.annotations] and not chart.figure.data


def test_sizes_draw_a_line_per_segment_and_exits_below_zero():
    data = report_data()
    lines = {trace.name: list(trace.y) for trace in charts.segment_sizes(data).figure.data}
    assert lines == {"champions": [4, 3], "churn_risk": [10, 12]}
    entered, left = charts.entries_and_exits(data).figure.data
    assert list(entered.y) == [3] and list(left.y) == [-2]  # the first date left out


def test_overlap_is_read_from_each_side_of_a_pair():
    heatmap = charts.overlap(report_data()).figure.data[0]
    cell = dict(zip(heatmap.y, heatmap.z, strict=True))
    column = list(heatmap.x).index
    assert cell["churn_risk"][column("champions")] == pytest.approx(25.0)
    assert cell["champions"][column("churn_risk")] == pytest.approx(100.0)
    assert cell["champions"][column("champions")] == 100.0


def test_rfm_cells_are_named_after_their_largest_segment():
    heatmap = charts.rfm_grid(report_data()).figure.data[0]
    assert heatmap.z[4][4] == 9 and heatmap.text[4][4] == "Champions<br>9"
    assert heatmap.text[0][0] == "Lost<br>9" and heatmap.text[2][2] == ""


def test_lifecycle_links_run_from_the_left_stages_to_the_right_ones():
    sankey = charts.lifecycle_flows(report_data()).figure.data[0]
    labels = list(sankey.node.label)
    links = {
        (labels[s], labels[t], t >= len(labels) // 2)
        for s, t in zip(sankey.link.source, sankey.link.target, strict=True)
    }
    assert links == {("New Customer", "Repeat Buyer", True), ("Repeat Buyer", "Lapsed", True)}


def test_experiment_lifts_show_treatment_arms_with_their_intervals_in_points():
    scatter = charts.experiment_lifts(report_data()).figure.data[0]
    assert list(scatter.y) == ["offer / ten_off", "offer / twenty_off"]
    assert list(scatter.x) == pytest.approx([15.0, 2.0])
    assert list(scatter.error_x.arrayminus) == pytest.approx([10.0, 8.0])
    assert scatter.marker.color[0] != scatter.marker.color[1]


def test_gates_are_blocked_passed_with_warnings_or_never_run():
    statuses = dict(zip(*[gate_frame(suite_runs())[c] for c in ("suite", "status")], strict=True))
    assert statuses == {
        "raw": "passed with warnings",
        "staging": "passed",
        "marts": "blocked",
        "exports": "never run",
    }


def test_the_page_inlines_plotly_and_names_its_published_version():
    page = render(report_data())
    assert page.count('class="plotly-graph-div"') == len(CHARTS)
    assert "20261030T020000000000Z-abcdef" in page
    assert "<script src=" not in page and "plotly.js v" in page


def test_no_cluster_point_carries_a_person_id():
    data = report_data(
        clusters=frames()["clusters"].assign(person_id=["p-secret-1", "p-secret-2", "p-3"])
    )
    assert "p-secret-1" not in render(data)


def test_an_empty_sync_history_shows_why():
    data = report_data()
    data = type(data)(**{**data.__dict__, "syncs": pd.DataFrame(), "operations_note": "busy"})
    chart = charts.last_syncs(data)
    assert [a.text for a in chart.figure.layout.annotations] == ["busy"]
