{#-
    CTEs of a person-keyed model that an incremental run rebuilds only for the persons whose inputs
    changed (call it inside a `with`, after the CTEs it names, and follow it with a comma).
    `inputs`: names of the CTEs of rows the model reads per person, each with a person_id column
    (rows without one are left out); every column of them counts. `clock_cte` (optional): name of
    a one-row CTE of values every person's row depends on (the as-of date and its windows).
    - `persons_to_rebuild`: person_id and input_fingerprint (macro fingerprint_agg of every input
      row of the person and the clock) of the persons the run writes. A full build writes every
      person with input rows. An incremental run writes those whose fingerprint differs from the
      stored one (new, changed, merged into or split from another, or every person when the clock
      moved) and the stored persons without input rows now (with a null input_fingerprint).
    - `<input>_to_rebuild` for each input: its rows of those persons.
    The model computes its rows from the `_to_rebuild` CTEs, writes them for every person of
    persons_to_rebuild (left join) with input_fingerprint, and is configured with delete+insert on
    person_id and a post-hook deleting the rows without a result (a person without input rows, or
    whose input gives no row): a full and an incremental build then hold the same rows. The rows
    of the other persons are kept as stored. In a table stored without input_fingerprint (by an
    earlier release), the next run rebuilds every person and deletes the stored persons without
    inputs.
-#}
{% macro persons_to_rebuild(inputs, clock_cte=none) -%}
{%- set incremental = execute and is_incremental() -%}
{%- set fingerprinted = audience.is_incremental_with(['input_fingerprint']) -%}
input_rows_fingerprinted as (
    {%- for input in inputs %}
    {{ 'union all' if not loop.first }}
    select
        {{ input }}.person_id,
        {{ loop.index }} as input_number,
        {{ audience.fingerprint_agg(input) }} as input_fingerprint
    from {{ input }}
    where {{ input }}.person_id is not null
    group by {{ input }}.person_id
    {%- endfor %}
),

-- each input's fingerprint of the person beside the clock's values
person_inputs as (
    select
        input_rows_fingerprinted.*
        {%- if clock_cte %},
        {{ clock_cte }}.*
        {%- endif %}
    from input_rows_fingerprinted
    {%- if clock_cte %}
    cross join {{ clock_cte }}
    {%- endif %}
),

input_fingerprints as (
    select
        person_inputs.person_id,
        {{ audience.fingerprint_agg('person_inputs') }} as input_fingerprint
    from person_inputs
    group by person_inputs.person_id
),
{%- if incremental %}

stored_persons as (
    select distinct
        stored.person_id
        {%- if fingerprinted %},
        stored.input_fingerprint
        {%- endif %}
    from {{ this }} as stored
),

persons_to_rebuild as (
    select
        coalesce(input_fingerprints.person_id, stored_persons.person_id) as person_id,
        input_fingerprints.input_fingerprint
    from input_fingerprints
    full outer join stored_persons on input_fingerprints.person_id = stored_persons.person_id
    {%- if fingerprinted %}
    where input_fingerprints.input_fingerprint is distinct from stored_persons.input_fingerprint
    {%- endif %}
),
{%- for input in inputs %}

{{ input }}_to_rebuild as (
    select {{ input }}.*
    from {{ input }}
    where {{ input }}.person_id in (select persons_to_rebuild.person_id from persons_to_rebuild)
){{ ',' if not loop.last }}
{%- endfor %}
{%- else %}

persons_to_rebuild as (
    select
        input_fingerprints.person_id,
        input_fingerprints.input_fingerprint
    from input_fingerprints
),
{%- for input in inputs %}

{{ input }}_to_rebuild as (
    select {{ input }}.*
    from {{ input }}
    where {{ input }}.person_id is not null
){{ ',' if not loop.last }}
{%- endfor %}
{%- endif %}
{%- endmacro %}
