"""Data quality gates: Great Expectations suites (expectations/*.json) validated on summary frames
that DuckDB computes, results stored in the warehouse, blocking failures stop exports."""
