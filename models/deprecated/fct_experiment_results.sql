-- Deprecated: renamed to agg_experiment_results; this view goes in the next release.
select * from {{ ref('agg_experiment_results') }}  -- noqa: AM04
