"""`audience report`: one self-contained HTML file for marketers, drawn from the published
read-only copy (segment sizes, overlap, RFM, lifecycle, cohorts, clusters, experiments) and from
the warehouse's run history (quality gates, syncs). Plotly's JavaScript is inlined, so the file
opens offline and can be mailed or attached to a ticket."""

from orchestration.report.page import write_report

__all__ = ["write_report"]
