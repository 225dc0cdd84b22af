{#-
    CTEs for an incremental base_ model (call it inside a `with`, after the CTE that selects the
    source, and follow it with a comma; pass the model's `this` as loaded_relation).
    `new_raw_rows` holds the raw rows of `from_cte` the model has not loaded yet and may keep
    (macro is_excluded_raw_row: not an erased person's, not past retention), plus
    `raw_row_hash`, a hash of the row's content (every column the source YAML declares). Rows are
    tested for exclusion once picked, so an incremental run hashes the identifiers of its new rows
    only, not of every raw row. A full build loads every row it may keep. An incremental run
    reads only rows received at or after the newest received_at already loaded (up to the run's
    start: lookback_start) minus var event_lookback_hours (and rows whose received_at is missing
    or unparseable), and skips, per raw_row_hash, as many copies as are already loaded: a row
    re-read in the lookback window is not loaded twice, while identical copies arriving together
    are all loaded (and classified, as in a full build).

    The event base models use it with `incremental_strategy='append'` and no unique_key: a loaded
    raw row is never rewritten, and identical raw copies are separate rows. A new row whose
    message id an earlier run kept becomes a duplicate_message_id (classify_rows with
    loaded_relation). `dbt build --full-refresh` reclassifies everything, e.g. after the tracking
    plan or a check changed. The models call is_incremental() only through these macros, so dbt
    does not require their unit tests to override it (without a `this` fixture they run as full
    builds).
-#}
{% macro new_raw_rows(from_cte, source_name, table_name, loaded_relation, received_at='received_at') -%}
{#- No loaded relation (e.g. in a unit test without a `this` fixture): load everything. -#}
{%- set incremental = loaded_relation is not none and is_incremental() -%}
{%- set received_at_utc = audience.to_utc_timestamp(adapter.quote(received_at)) -%}
{%- set string = dbt.type_string() -%}
{%- set columns = [] -%}
{%- if execute and 'sources' in graph -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == source_name and node.name == table_name -%}
            {%- do columns.extend(node.columns.keys() | list) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not columns -%}
        {{ exceptions.raise_compiler_error(
            "new_raw_rows: source '" ~ source_name ~ "." ~ table_name ~ "' declares no columns to hash.") }}
    {%- endif -%}
{%- else -%}
    {#- parsing, or a unit test (no project graph): the hash is not used -#}
    {%- do columns.append(received_at) -%}
{%- endif -%}
{#- Each value length-prefixed (`5:hello`; null as `~`), so different rows never concatenate alike. -#}
{%- set parts = [] -%}
{%- for column in columns -%}
    {%- set value = 'cast(' ~ adapter.quote(column) ~ ' as ' ~ string ~ ')' -%}
    {%- if not loop.first -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- do parts.append("coalesce(cast(length(" ~ value ~ ") as " ~ string ~ ") || ':' || " ~ value ~ ", '~')") -%}
{%- endfor -%}
{%- if incremental -%}
    {#- a unit test's `this` is its fixture's SQL, not a relation: nothing to check -#}
    {%- if execute and loaded_relation is not string -%}
        {%- set loaded_columns = adapter.get_columns_in_relation(loaded_relation) | map(attribute='name') | map('lower') | list -%}
        {%- if loaded_columns and 'raw_row_hash' not in loaded_columns -%}
            {{ exceptions.raise_compiler_error(
                loaded_relation ~ " was built before it loaded incrementally (it has no raw_row_hash column): rebuild it once "
                ~ "with `dbt build --full-refresh --select " ~ loaded_relation.identifier ~ "+`.") }}
        {%- endif -%}
    {%- endif -%}
    {%- set window_start -%}
        (select {{ audience.lookback_start('loaded.' ~ received_at) }} from {{ loaded_relation }} as loaded)
    {%- endset -%}
{%- endif -%}
hashed_raw_rows as (
    select
        *,
        {{ dbt.hash(audience.concat_texts(parts)) }} as raw_row_hash
    from {{ from_cte }}
    {%- if incremental %}
    -- null received_at (unparseable, or nothing loaded yet) reads the row
    where coalesce({{ received_at_utc }} >= {{ window_start }}, true)
    {%- endif %}
),
{%- if incremental %}

loaded_copies as (
    select
        loaded.raw_row_hash,
        count(*) as loaded_copy_count
    from {{ loaded_relation }} as loaded
    where coalesce(loaded.{{ received_at }} >= {{ window_start }}, true)
    group by loaded.raw_row_hash
),

numbered_raw_rows as (
    select
        *,
        row_number() over (partition by raw_row_hash order by raw_row_hash) as raw_copy_number
    from hashed_raw_rows
),

new_raw_rows as (
    select numbered_raw_rows.*
    from numbered_raw_rows
    left join loaded_copies on numbered_raw_rows.raw_row_hash = loaded_copies.raw_row_hash
    where
        numbered_raw_rows.raw_copy_number > coalesce(loaded_copies.loaded_copy_count, 0)
        and not {{ audience.is_excluded_raw_row(source_name, table_name) }}
)
{%- else %}

new_raw_rows as (
    select * from hashed_raw_rows
    where not {{ audience.is_excluded_raw_row(source_name, table_name) }}
)
{%- endif %}
{%- endmacro %}
