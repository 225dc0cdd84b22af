"""What production `dbt build`s leave out.

- The unit tests. As dbt advises: they test the SQL's logic on fixed inputs, which does not
  change from one refresh of the same code to the next, so CI runs them (`make dbt-test`) and
  refreshes (`audience refresh`, the Dagster jobs) do not pay for them. They also take their
  inputs' columns from the raw tables, which only the raw contract's own layout has.
- In the hourly refresh and a backfill, the retrained models (CLV, clusters): they keep their
  last fit until the nightly refresh."""

PRODUCTION_EXCLUSIONS = ("--exclude-resource-type", "unit_test")
RETRAIN_SELECT = "tag:retrain"
