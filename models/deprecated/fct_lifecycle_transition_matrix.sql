-- Deprecated: renamed to agg_lifecycle_transition_matrix; this view goes in the next release.
select * from {{ ref('agg_lifecycle_transition_matrix') }}  -- noqa: AM04
