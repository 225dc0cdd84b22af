"""The lower bound of a build: one DuckDB pass over the raw event files, aggregating every event
per user (count, first and last time, revenue), with the build's memory limit and threads.

    python bench/lower_bound.py --raw <raw folder> [--memory-limit 8GB] [--threads 2]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

QUERY = """
create table per_user as
with events as (
    select
        user_id,
        "timestamp",
        case when json_valid(properties)
            then try_cast(json_extract_string(properties, '$.revenue') as double)
        end as revenue
    from read_parquet('{raw}/tracks/*.parquet')
    union all
    select user_id, "timestamp", null from read_parquet('{raw}/pages/*.parquet')
    union all
    select user_id, "timestamp", null from read_parquet('{raw}/identifies/*.parquet')
)
select user_id, count(*) as events, min("timestamp") as first_at, max("timestamp") as last_at,
    sum(revenue) as revenue
from events
group by user_id
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--memory-limit", default="8GB")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    con = duckdb.connect(config={"memory_limit": args.memory_limit, "threads": args.threads})
    con.execute(QUERY.format(raw=args.raw.resolve().as_posix()))
    print("users", con.execute("select count(*) from per_user").fetchone()[0])


if __name__ == "__main__":
    main()
