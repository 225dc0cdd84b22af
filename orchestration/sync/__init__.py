"""Reverse-ETL: diff-based, consent-aware syncs of segment audiences to marketing platforms.

The export models (exports.exp_<destination>) say who should be in each segment's audience; the
engine compares them with what each destination last confirmed (sync.sync_state), sends the
difference in the batches the platform documents, and records every run in sync.sync_runs."""
