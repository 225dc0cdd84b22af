{#-
    PII is tagged, and only where it may be. For every model and snapshot built in the warehouse,
    one row per problem:
    - `untagged_pii_name`: a column named like PII (var pii_column_names) without
      `meta: {contains_pii: true}` in its YAML;
    - `untagged_email_values` / `untagged_phone_values`: an untagged text column whose values in
      a sample of the relation (var pii_scan_sample_rows rows, taken with `limit`) hold emails or
      phone numbers. One sample per relation, read once: sampling each column's non-null values
      apart made views such as the quarantine ones extract every row's JSON for each column
      (38 s of an hourly refresh at 10M events);
    - `pii_outside_restricted_schemas`: a tagged column in a schema outside var pii_schemas (the
      schemas BI tools must not be granted), i.e. outside the allowed list;
    - `untagged_pii_model`: a model with tagged columns but without the `contains_pii` tag.
-#}
{{ config(tags=['privacy']) }}

{%- set email_pattern = "'[^@[:space:]]+@[^@[:space:]]+[.][A-Za-z]{2,}'" -%}
{%- set phone_pattern = "'[+][1-9][0-9]{7,14}|[(]?[0-9]{3}[)]?[ .-]?[0-9]{3}[ .-][0-9]{4}'" -%}
{%- set restricted = var('pii_schemas') | map('lower') | list -%}
{%- set pii_names = var('pii_column_names') | map('lower') | list -%}
{%- set checks = [] -%}
{%- set samples = [] -%}
{%- if execute -%}
    {%- for node in graph.nodes.values() if node.resource_type in ['model', 'snapshot'] and node.config.materialized != 'ephemeral' -%}
        {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
        {%- if relation is not none -%}
            {%- set tagged = [] -%}
            {%- for name, column in node.columns.items() -%}
                {%- if column.meta.get('contains_pii') or column.config.meta.get('contains_pii') -%}
                    {%- do tagged.append(name | lower) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- set is_restricted = node.schema | lower in restricted -%}
            {%- set label = node.schema ~ '.' ~ node.alias -%}
            {%- if tagged and 'contains_pii' not in node.tags -%}
                {%- do checks.append("select '" ~ label ~ "', null, 'untagged_pii_model'") -%}
            {%- endif -%}
            {%- set sampled = [] -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- set name = column.name | lower -%}
                {%- if name in tagged and not is_restricted -%}
                    {%- do checks.append("select '" ~ label ~ "', '" ~ name ~ "', 'pii_outside_restricted_schemas'") -%}
                {%- elif name not in tagged and name in pii_names -%}
                    {%- do checks.append("select '" ~ label ~ "', '" ~ name ~ "', 'untagged_pii_name'") -%}
                {%- elif name not in tagged and column.is_string() -%}
                    {%- do sampled.append(column.name) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if sampled -%}
                {%- set sample = 'sample_' ~ (samples | length + 1) -%}
                {%- set quoted = [] -%}
                {%- for column in sampled -%}
                    {%- do quoted.append(adapter.quote(column)) -%}
                {%- endfor -%}
                {%- do samples.append(
                    sample ~ ' as ' ~ audience.materialized_cte() ~ ' (select ' ~ quoted | join(', ')
                    ~ ' from ' ~ relation ~ ' limit ' ~ var('pii_scan_sample_rows') ~ ')'
                ) -%}
                {%- for column in sampled -%}
                    {%- set value = sample ~ '.' ~ adapter.quote(column) -%}
                    {%- for kind, pattern in [('email', email_pattern), ('phone', phone_pattern)] -%}
                        {%- do checks.append(
                            "select '" ~ label ~ "', '" ~ column | lower ~ "', 'untagged_" ~ kind ~ "_values' from "
                            ~ sample ~ " where " ~ audience.regex_full_match('trim(' ~ value ~ ')', pattern)
                            ~ " having count(*) > 0"
                        ) -%}
                    {%- endfor -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

with

{% for sample in samples -%}
{{ sample }},

{% endfor -%}
problems (relation_name, column_name, problem) as (
    {%- for check in checks %}
    {{ check }}
    union all
    {%- endfor %}
    select null, null, null where 1 = 0
)

select * from problems
