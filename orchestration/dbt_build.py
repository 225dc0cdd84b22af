"""What a production `dbt build` leaves out: the unit tests. As dbt advises, they test the SQL's
logic on fixed inputs, which does not change from one refresh of the same code to the next: CI
runs them (`make dbt-test`), refreshes (`audience refresh`, the Dagster jobs) do not pay for them.
They also take their inputs' columns from the raw tables, which only the raw contract's own layout
has."""

PRODUCTION_EXCLUSIONS = ("--exclude-resource-type", "unit_test")
