"""`audience collect`: a Segment-compatible event collector.

Segment's and RudderStack's tracking libraries (and anything speaking Segment's HTTP Tracking
API) post to /v1/batch, /v1/track, /v1/identify, /v1/page, /v1/screen, /v1/group, /v1/alias
with the write key as HTTP Basic username. Each request's messages are checked one by one; the
accepted ones are appended to a write-ahead log and fsync'ed (group commit) before the 200;
every --flush-seconds or --flush-events the log's closed segment is landed as Parquet files in
the raw table folders dbt reads (<raw path>/tracks, pages, identifies in the raw contract's
columns; screens, groups, aliases and collector_rejections in tables of their own, which
staging does not read: see `schema`).

Modules, one concern each: `app` (routes, status codes), `body` (write keys, body reading, size
limits), `intake` (per-message accept or reject of a request), `mapping` and `fields` (Segment
messages -> raw rows, timestamps), `schema` (tables and columns), `wal` (write-ahead log, group
commit), `landing` (Parquet micro-batches, atomically, named after their segment), `service`
(recovery on start, flush policy, shutdown), `command` (the argparse subcommand).
"""
