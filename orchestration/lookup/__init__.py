"""The lookup API (`audience serve`): profiles and segment memberships by identifier, read from
the published copy's serving index only, behind per-client bearer tokens.

It reads lookup.sqlite, not the published DuckDB file: a DuckDB point query through an ART index
costs ~1 ms from Python (2.2 ms p99), two SQLite B-tree lookups ~16 µs (150 µs p99) on 1M
persons, measured by bench/lookup_latency.py --compare-stores; orchestration/publish/index.py
has the numbers. With SQLite the API holds 1,000 requests/s at 2.7 ms p99 on 2 cores."""
