-- Deprecated: renamed to dim_persons; this view goes in the next release.
select * from {{ ref('dim_persons') }}  -- noqa: AM04
