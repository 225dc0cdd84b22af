-- Deprecated: renamed to agg_audience_kpis; this view goes in the next release.
select * from {{ ref('agg_audience_kpis') }}  -- noqa: AM04
