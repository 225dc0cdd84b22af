-- Deprecated: renamed to agg_acquisition_cohorts; this view goes in the next release.
select * from {{ ref('agg_acquisition_cohorts') }}  -- noqa: AM04
