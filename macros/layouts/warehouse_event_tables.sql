{#-
    SQL (a query) of the source table `table_name` (tracks, pages or identifies) with the columns
    the `segment` sources YAML declares (`columns`: name and data_type), read from a Segment or
    RudderStack warehouse destination's tables next to `relation`:

    - pages and identifies: their own tables, which carry page properties and identify traits as
      columns (RudderStack's identifies also as context_traits_<trait>);
    - tracks: the `tracks` table, and `properties` a JSON object built from the table of the
      event, named by snake_case(event name), with the tracking plan's properties of the event
      (columns named snake_case(property)) cast to their declared types. Tables of events the
      plan does not name are not read (their tracks rows are then quarantined as
      unknown_event_name); a plan event without a table has no rows there. Table and column names
      are tried in the vendor's spellings (macro vendor_names).

    A retried message appears once per delivery in tracks and in its event table: the k-th copy
    of a message id in one is paired with the k-th in the other.
-#}
{% macro warehouse_event_tables(relation, table_name, columns) %}
    {%- set table = audience.layout_relation_columns(relation, table_name) -%}
    {%- if table is none -%}
        {{ exceptions.raise_compiler_error(
            "var event_layout is '" ~ audience.event_layout() ~ "', which reads the table " ~ relation.schema ~ "."
            ~ table_name ~ ": it does not exist (check var raw_schema / env AUDIENCE_RAW_SCHEMA, or the files below "
            ~ "var raw_data_path).") }}
    {%- endif -%}
    {%- set selected = [] -%}
    {%- for column in columns if column.name != 'properties' -%}
        {%- set candidates = [column.name, '_' ~ column.name] -%}
        {%- if table_name == 'identifies' -%}
            {%- do candidates.append('context_traits_' ~ column.name) -%}
        {%- endif -%}
        {%- do selected.append(audience.layout_column(table, candidates, column.data_type, 'raw_table')
            ~ ' as ' ~ adapter.quote(column.name)) -%}
    {%- endfor -%}
    {%- set encoding = 'raw_table._invalid_encoding' if '_invalid_encoding' in table.columns else 'false' -%}
    {%- if table_name != 'tracks' -%}
        {{ return('select ' ~ selected | join(', ') ~ ', ' ~ encoding ~ ' as _invalid_encoding from '
            ~ table.relation ~ ' as raw_table') }}
    {%- endif -%}
    {%- set string = dbt.type_string() -%}
    {%- set event_rows = [] -%}
    {%- for event in audience.tracking_plan_events() -%}
        {%- set event_table = namespace(found=none) -%}
        {%- for name in audience.vendor_names(event.name) if event_table.found is none -%}
            {%- set event_table.found = audience.layout_relation_columns(relation, name) -%}
        {%- endfor -%}
        {%- set found = event_table.found -%}
        {%- if found is not none and 'id' in found.columns -%}
            {%- set values = {} -%}
            {%- for property in event.properties -%}
                {%- do values.update({property.name: audience.layout_property_value(
                    found, audience.vendor_names(property.name), property.type, 'event_table')}) -%}
            {%- endfor -%}
            {%- do event_rows.append(
                'select cast(event_table.' ~ found.columns['id'].quoted ~ ' as ' ~ string ~ ') as message_id, '
                ~ 'row_number() over (partition by event_table.' ~ found.columns['id'].quoted ~ ' order by '
                ~ audience._delivery_order(found, 'event_table') ~ ') as copy_number, '
                ~ audience.json_object(values) ~ ' as properties, '
                ~ ('event_table._invalid_encoding' if '_invalid_encoding' in found.columns else 'false') ~ ' as _invalid_encoding '
                ~ 'from ' ~ found.relation ~ ' as event_table') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not event_rows -%}
        {%- do event_rows.append('select cast(null as ' ~ string ~ ') as message_id, 0 as copy_number, cast(null as '
            ~ string ~ ') as properties, false as _invalid_encoding where false') -%}
    {%- endif -%}
    {%- set copy_number = 'row_number() over (partition by raw_table.' ~ table.columns['id'].quoted ~ ' order by '
        ~ audience._delivery_order(table, 'raw_table') ~ ')' -%}
    {%- set outer = [] -%}
    {%- for column in columns -%}
        {%- do outer.append(('event_properties' if column.name == 'properties' else 'tracks') ~ '.' ~ adapter.quote(column.name)) -%}
    {%- endfor -%}
    {{ return(
        'select ' ~ outer | join(', ') ~ ', tracks._invalid_encoding or coalesce(event_properties._invalid_encoding, false) '
        ~ 'as _invalid_encoding from (select ' ~ selected | join(', ') ~ ', ' ~ encoding ~ ' as _invalid_encoding, '
        ~ 'cast(raw_table.' ~ table.columns['id'].quoted ~ ' as ' ~ string ~ ') as _message_id, ' ~ copy_number
        ~ ' as _copy_number from ' ~ table.relation ~ ' as raw_table) as tracks left join ('
        ~ event_rows | join(' union all ') ~ ') as event_properties on tracks._message_id = '
        ~ 'event_properties.message_id and tracks._copy_number = event_properties.copy_number') }}
{% endmacro %}


{#- SQL: the order of a message's deliveries in a layout table (received, then sent). -#}
{% macro _delivery_order(table, alias) %}
    {%- set keys = [] -%}
    {%- for name in ['received_at', 'sent_at', 'uuid_ts'] if name in table.columns -%}
        {%- do keys.append(alias ~ '.' ~ table.columns[name].quoted) -%}
    {%- endfor -%}
    {{ return(keys | join(', ') if keys else '1') }}
{% endmacro %}
