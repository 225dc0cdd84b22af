-- Deprecated: renamed to fct_personalized_placements; this view goes in the next release.
select * from {{ ref('fct_personalized_placements') }}  -- noqa: AM04
