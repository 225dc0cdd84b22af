-- Deprecated: renamed to agg_segment_overlap; this view goes in the next release.
select * from {{ ref('agg_segment_overlap') }}  -- noqa: AM04
