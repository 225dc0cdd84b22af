"""Segment definitions checked before dbt runs (`audience check-segments`, and the start of
`audience refresh`): the JSON Schema the compiler uses, value types against the input columns,
references between segments and their cycles, and configurations that are easy to get wrong; and
the segment dependencies dbt cannot see, written from the definitions (`audience segment-deps`)."""
