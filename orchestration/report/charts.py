"""The report's charts: one function per chart, each returning its figure with a title, the
unit of what it shows and a one-line reading guide. A chart whose table is empty says why in
the figure instead of drawing empty axes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from orchestration.report.sources import CLUSTER_SAMPLE, ReportData

SCORES = [1, 2, 3, 4, 5]
DAY_MS = 86_400_000
LAYOUT = {"template": "plotly_white", "margin": {"l": 60, "r": 30, "t": 30, "b": 60}}


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    unit: str
    guide: str
    figure: go.Figure


def _empty(message: str) -> go.Figure:
    figure = go.Figure(layout=LAYOUT)
    figure.add_annotation(text=message, showarrow=False, font={"size": 16})
    figure.update_xaxes(visible=False).update_yaxes(visible=False)
    return figure


def _drawn(
    figure: go.Figure, shown: pd.DataFrame, missing: str, height: int = 460, **layout
) -> go.Figure:
    """The figure laid out, or, when the table it draws is empty, a figure saying `missing`."""
    if shown.empty:
        return _empty(missing)
    return figure.update_layout(**LAYOUT, height=height, **layout)


def _date_axis(dates: pd.Series) -> dict:
    """Days on the x axis; a single day gets a day either side, not milliseconds."""
    axis: dict = {"title": "as-of date", "type": "date", "tickformat": "%b %d, %Y"}
    if dates.nunique() == 1:
        day = pd.Timestamp(dates.iloc[0])
        axis["range"] = [day - pd.Timedelta(days=1), day + pd.Timedelta(days=1)]
        axis["dtick"] = DAY_MS
    return axis


def segment_sizes(data: ReportData) -> Chart:
    sizes = data.frames["sizes"]
    figure = go.Figure()
    for name, rows in sizes.groupby("segment_name", sort=True):
        figure.add_scatter(x=rows["as_of_date"], y=rows["members"], name=name, mode="lines+markers")
    return Chart(
        "segment_sizes",
        "Segment sizes over time",
        "members of the segment on each as-of date, after priority groups (holdouts included)",
        "Each line is a segment; click a name in the legend to hide it, double-click to show "
        "it alone.",
        _drawn(
            figure,
            sizes,
            "No segment has been evaluated yet",
            520,
            xaxis=_date_axis(sizes["as_of_date"]),
            yaxis_title="persons",
        ),
    )


def entries_and_exits(data: ReportData) -> Chart:
    daily = data.frames["sizes"].groupby("as_of_date", as_index=False)[["entries", "exits"]].sum()
    # on the history's first date every member enters: a bar that would flatten all the others
    daily = daily.iloc[1:] if len(daily) > 1 else daily
    figure = go.Figure()
    # bar widths on a date axis are in milliseconds: most of a day
    width = 0.8 * DAY_MS
    figure.add_bar(x=daily["as_of_date"], y=daily["entries"], name="entered", width=width)
    figure.add_bar(x=daily["as_of_date"], y=-daily["exits"], name="left", width=width)
    return Chart(
        "entries_exits",
        "Entries and exits per day, all segments",
        "persons entering (above zero) and leaving (below zero) a segment on each as-of date "
        "(the history's first date, when every member enters, left out)",
        "Bars far from zero mean audiences churned that day: check the segment sizes above "
        "before a send.",
        _drawn(
            figure,
            daily,
            "No segment has been evaluated yet",
            barmode="relative",
            xaxis=_date_axis(daily["as_of_date"]),
            yaxis_title="persons",
        ),
    )


def overlap(data: ReportData) -> Chart:
    pairs = data.frames["overlap"]
    forward = pairs[["segment_a", "segment_b", "share_of_a"]].set_axis(
        ["row", "column", "share"], axis=1
    )
    backward = pairs[["segment_b", "segment_a", "share_of_b"]].set_axis(
        ["row", "column", "share"], axis=1
    )
    shares = pd.concat([forward, backward])
    names = sorted(set(shares["row"]) | set(shares["column"]))
    grid = (
        shares.drop_duplicates(["row", "column"])
        .pivot(index="row", columns="column", values="share")
        .reindex(index=names, columns=names)
        .fillna(0.0)
        * 100
    )
    for name in names:
        grid.loc[name, name] = 100.0
    figure = go.Figure(
        go.Heatmap(
            z=grid.values,
            x=names,
            y=names,
            colorscale="Blues",
            zmin=0,
            zmax=100,
            colorbar={"title": "%"},
            hovertemplate="%{z:.1f}% of %{y} is also in %{x}<extra></extra>",
        )
    )
    return Chart(
        "overlap",
        "Segment overlap",
        "% of the row segment's members who are also in the column segment",
        "A dark cell off the diagonal means two campaigns reach the same people: set a priority "
        "or exclude one from the other.",
        _drawn(
            figure,
            shares,
            "No two segments share members",
            760,
            xaxis={"tickangle": -45},
            yaxis={"autorange": "reversed"},
        ),
    )


def rfm_grid(data: ReportData) -> Chart:
    rfm = data.frames["rfm"]
    persons = (
        rfm.groupby(["recency_score", "frequency_score"])["persons"]
        .sum()
        .unstack()
        .reindex(index=SCORES, columns=SCORES)
        .fillna(0)
    )
    named = (
        rfm.sort_values("persons", ascending=False)
        .drop_duplicates(["recency_score", "frequency_score"])
        .pivot(index="recency_score", columns="frequency_score", values="rfm_segment")
        .reindex(index=SCORES, columns=SCORES)
        .astype(object)
        .fillna("")
    )
    text = [
        [f"{segment}<br>{int(count)}" if count else "" for segment, count in zip(s, c, strict=True)]
        for s, c in zip(named.values, persons.values, strict=True)
    ]
    figure = go.Figure(
        go.Heatmap(
            z=persons.values,
            x=[str(score) for score in SCORES],
            y=[str(score) for score in SCORES],
            text=text,
            texttemplate="%{text}",
            colorscale="Greens",
            colorbar={"title": "persons"},
            hovertemplate="recency %{y}, frequency %{x}: %{z} persons<extra></extra>",
        )
    )
    return Chart(
        "rfm_grid",
        f"RFM grid on {rfm['as_of_date'].max():%Y-%m-%d}" if not rfm.empty else "RFM grid",
        "customers per recency score (rows) and frequency score (columns), 5 = best",
        "Each cell is named after the RFM segment most of its customers fall in; top right are "
        "the champions, bottom right the customers about to be lost.",
        _drawn(
            figure,
            rfm,
            "No customer has been scored yet",
            560,
            xaxis_title="frequency score",
            yaxis_title="recency score",
        ),
    )


def lifecycle_flows(data: ReportData) -> Chart:
    flows = data.frames["lifecycle"]
    stages = sorted(set(flows["from_stage"]) | set(flows["to_stage"]))
    position = {stage: number for number, stage in enumerate(stages)}
    figure = go.Figure(
        go.Sankey(
            node={"label": [*stages, *stages], "pad": 18},
            link={
                "source": [position[stage] for stage in flows["from_stage"]],
                "target": [len(stages) + position[stage] for stage in flows["to_stage"]],
                "value": flows["persons"].tolist(),
                "hovertemplate": "%{source.label} → %{target.label}: %{value} moves<extra></extra>",
            },
        )
    )
    period = (
        f", {flows['first_month'].min():%b %Y} to {flows['last_month'].max():%b %Y}"
        if not flows.empty
        else ""
    )
    return Chart(
        "lifecycle_flows",
        f"Lifecycle flows{period}",
        "moves from one lifecycle stage (left) to another (right), summed over the months",
        "Thick bands into Lapsed or Churned are the win-back audience; staying in a stage is "
        "not drawn.",
        _drawn(figure, flows, "No person changed stage yet", 520),
    )


def cohort_retention(data: ReportData) -> Chart:
    cohorts = data.frames["cohorts"]
    grid = cohorts.pivot_table(
        index="cohort_month", columns="months_since_acquisition", values="retention_rate"
    ).sort_index()
    sizes = cohorts.groupby("cohort_month")["cohort_customers"].max()
    later = grid.loc[:, grid.columns > 0]
    labels = [f"{month:%Y-%m} ({int(sizes[month])})" for month in grid.index]
    figure = go.Figure(
        go.Heatmap(
            z=grid.values * 100,
            x=[str(month) for month in grid.columns],
            y=labels,
            colorscale="Purples",
            zmin=0,
            # month 0 is 100% by definition: the colours span the later months
            zmax=float(later.max().max() * 100) if later.notna().any().any() else 100.0,
            colorbar={"title": "%"},
            hovertemplate="cohort %{y}, month %{x}: %{z:.1f}% active<extra></extra>",
        )
    )
    return Chart(
        "cohort_retention",
        "Cohort retention",
        "% of each acquisition cohort (customers in brackets) ordering again n months later",
        "Read across a row to follow one cohort; read down a column to compare cohorts at the "
        "same age.",
        _drawn(
            figure,
            cohorts,
            "No customer has ordered yet",
            620,
            xaxis_title="months since first order",
            yaxis={"title": "cohort", "autorange": "reversed"},
        ),
    )


def clusters(data: ReportData) -> Chart:
    points = data.frames["clusters"]
    centroids = data.frames["centroids"]
    figure = go.Figure()
    for name, rows in points.groupby("cluster_name", sort=True):
        figure.add_scattergl(
            x=rows["pca_x"],
            y=rows["pca_y"],
            name=name,
            mode="markers",
            marker={"size": 4, "opacity": 0.5},
            hoverinfo="name",
        )
    figure.add_scatter(
        x=centroids["avg_pca_x"],
        y=centroids["avg_pca_y"],
        text=centroids["cluster_name"] + " (" + centroids["members"].astype(str) + ")",
        mode="markers",
        marker={"size": 14, "symbol": "x", "color": "black"},
        name="cluster centres",
        hoverinfo="text",
    )
    return Chart(
        "clusters",
        "Behavioural clusters",
        f"persons (a sample of up to {CLUSTER_SAMPLE:,}) on the first two principal "
        "components of their behaviour; crosses mark each cluster's centre",
        "Clusters far apart behave differently; overlapping clouds are candidates for one "
        "campaign.",
        _drawn(
            figure,
            points,
            "No clusters fitted yet",
            560,
            xaxis_title="first component",
            yaxis_title="second component",
        ),
    )


def experiment_lifts(data: ReportData) -> Chart:
    arms = data.frames["experiments"]
    treated = arms[~arms["is_control"].astype(bool) & arms["absolute_lift"].notna()]
    labels = treated["experiment_id"] + " / " + treated["variant"]
    lift = treated["absolute_lift"] * 100
    upper = (treated["absolute_lift_ci_upper"] * 100 - lift).fillna(0)
    lower = (lift - treated["absolute_lift_ci_lower"] * 100).fillna(0)
    colours = ["#2a9d8f" if significant else "#9aa5b1" for significant in treated["is_significant"]]
    figure = go.Figure(
        go.Scatter(
            x=lift,
            y=labels,
            mode="markers",
            marker={"size": 12, "color": colours},
            error_x={"type": "data", "array": upper, "arrayminus": lower, "symmetric": False},
            customdata=treated[["members_with_complete_window", "conversions"]].values,
            hovertemplate="%{y}: %{x:+.2f} pp (members with a complete window "
            "%{customdata[0]}, conversions %{customdata[1]})<extra></extra>",
            showlegend=False,
        )
    )
    figure.add_vline(x=0, line_dash="dot")
    return Chart(
        "experiment_lifts",
        "Experiment lifts",
        "conversion-rate difference against the control, in percentage points, with its 95% "
        "confidence interval",
        "A green dot is significant: its interval does not cross zero. Grey dots are not (yet); "
        "arms below their minimum sample stay grey.",
        _drawn(
            figure,
            treated,
            "No experiment has a treatment arm with results yet",
            max(260, 60 * len(treated) + 120),
            xaxis_title="lift (pp)",
        ),
    )


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp | datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


def _table(frame: pd.DataFrame, missing: str) -> go.Figure:
    """A table figure, its height fitting its rows; `missing` when it has none."""
    figure = go.Figure(
        go.Table(
            header={"values": [column.replace("_", " ") for column in frame], "align": "left"},
            cells={
                "values": [[_cell(value) for value in frame[column]] for column in frame],
                "align": "left",
                "height": 30,
            },
        )
    )
    return _drawn(figure, frame, missing, 110 + 32 * len(frame))


def gate_status(data: ReportData) -> Chart:
    gates = data.gates.reindex(
        columns=[
            "gate",
            "suite",
            "status",
            "checked_at",
            "expectations",
            "failed",
            "blocking_failed",
        ]
    )
    return Chart(
        "gate_status",
        "Quality gates",
        "the latest check run of each suite (UTC), expectations evaluated and failed",
        "A blocked warehouse gate holds back the publish and exports; a blocked exports gate "
        "holds back the syncs.",
        _table(gates, "No quality gate has run yet"),
    )


def last_syncs(data: ReportData) -> Chart:
    return Chart(
        "last_syncs",
        "Last sync per destination",
        "each segment's latest sync to the destination (UTC), and the members it added, "
        "removed and changed",
        "A destination with failed or partial segments needs a look at `audience sync` before "
        "the next send.",
        _table(data.syncs, data.operations_note or "No audience has been synced yet"),
    )


CHARTS: list[Callable[[ReportData], Chart]] = [
    segment_sizes,
    entries_and_exits,
    overlap,
    rfm_grid,
    lifecycle_flows,
    cohort_retention,
    clusters,
    experiment_lifts,
    gate_status,
    last_syncs,
]
