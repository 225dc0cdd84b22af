-- Deprecated: renamed to agg_segment_sizes; this view goes in the next release.
select * from {{ ref('agg_segment_sizes') }}  -- noqa: AM04
