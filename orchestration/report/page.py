"""The report's HTML: a header naming the published version it shows, then each chart with its
title, unit and reading guide. Plotly's JavaScript is inlined once, so nothing is fetched when
the file is opened. The file is written next to its target and renamed over it, so a reader
never opens half a report."""

from __future__ import annotations

import html
import os
from pathlib import Path

import plotly.io as pio
from plotly.offline import get_plotlyjs

from orchestration.report.charts import CHARTS, Chart
from orchestration.report.sources import ReportData, report_data

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; color: #1d2733; }
header p, .unit, .guide { color: #52606d; margin: 0.2rem 0; }
section { border-top: 1px solid #d9e2ec; padding-top: 1rem; margin-top: 2rem; }
h2 { margin-bottom: 0.2rem; }
"""


def _section(chart: Chart) -> str:
    figure = pio.to_html(
        chart.figure,
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{chart.key}",
        config={"displaylogo": False, "responsive": True},
    )
    return (
        f'<section id="{chart.key}">\n<h2>{html.escape(chart.title)}</h2>\n'
        f'<p class="unit">Unit: {html.escape(chart.unit)}</p>\n'
        f'<p class="guide">How to read it: {html.escape(chart.guide)}</p>\n{figure}\n</section>'
    )


def render(data: ReportData) -> str:
    published = f", published {data.published_at}" if data.published_at else ""
    note = (
        f"<p>Quality and sync history: {html.escape(data.operations_note)}.</p>"
        if data.operations_note
        else ""
    )
    sections = "\n".join(_section(build(data)) for build in CHARTS)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Audience report</title>
<style>{STYLE}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head>
<body>
<header>
<h1>Audience report</h1>
<p>Published copy {html.escape(data.version)}{html.escape(published)}; report generated
{data.generated_at:%Y-%m-%d %H:%M} UTC. Counts are persons after identity stitching.</p>
{note}
</header>
{sections}
</body>
</html>
"""


def write_report(publish_dir: Path, warehouse: Path, target: Path) -> ReportData:
    """Write the report of the current published copy to `target`; the data it showed."""
    data = report_data(publish_dir, warehouse)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        partial.write_text(render(data), encoding="utf-8")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return data
