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
      are tried in the vendor's spellings (macro vendor_names). A `properties` column of tracks
      itself, if there is one, fills in where no event row is.

    A retried message appears once per delivery in tracks and in its event table: a tracks row
    takes the properties of its message id's event row received at the same time (of its message
    id alone where an event table has no received_at). Joining on the delivery, with no window
    over the tables, lets an incremental run's filter on received_at reach the event tables.
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
    {%- set received_at_type = (columns | selectattr('name', 'equalto', 'received_at') | first).data_type -%}
    {#- the properties of each delivery (message id and received_at), or of each message id where an
        event table has no received_at -#}
    {%- set by_delivery = [] -%}
    {%- set by_message = [] -%}
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
            {%- set has_received_at = 'received_at' in found.columns -%}
            {%- do (by_delivery if has_received_at else by_message).append(
                'select cast(event_table.' ~ found.columns['id'].quoted ~ ' as ' ~ string ~ ') as message_id, '
                ~ (audience.layout_column(found, ['received_at'], received_at_type, 'event_table') ~ ' as received_at, '
                    if has_received_at else '')
                ~ audience.json_object(values) ~ ' as properties, '
                ~ ('event_table._invalid_encoding' if '_invalid_encoding' in found.columns else 'false') ~ ' as _invalid_encoding '
                ~ 'from ' ~ found.relation ~ ' as event_table') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set joins = [] -%}
    {%- set properties = [] -%}
    {%- set encodings = [] -%}
    {%- for alias, rows, keys in [('by_delivery', by_delivery, ['message_id', 'received_at']), ('by_message', by_message, ['message_id'])] if rows -%}
        {%- set conditions = ['tracks._message_id = ' ~ alias ~ '.message_id'] -%}
        {%- if 'received_at' in keys -%}
            {%- do conditions.append('tracks.' ~ adapter.quote('received_at') ~ ' = ' ~ alias ~ '.received_at') -%}
        {%- endif -%}
        {%- do joins.append('left join (select ' ~ keys | join(', ') ~ ', ' ~ dbt.any_value('properties') ~ ' as properties, '
            ~ dbt.bool_or('_invalid_encoding') ~ ' as _invalid_encoding from (' ~ rows | join(' union all ')
            ~ ') as event_rows group by ' ~ keys | join(', ') ~ ') as ' ~ alias ~ ' on ' ~ conditions | join(' and ')) -%}
        {%- do properties.append(alias ~ '.properties') -%}
        {%- do encodings.append(alias ~ '._invalid_encoding') -%}
    {%- endfor -%}
    {%- if 'properties' in table.columns -%}
        {#- a tracks table that carries properties itself (a JSON-layout export): used where no event row is -#}
        {%- do properties.append('tracks._properties') -%}
    {%- endif -%}
    {%- set outer = [] -%}
    {%- for column in columns -%}
        {%- if column.name == 'properties' -%}
            {%- do outer.append(('coalesce(' ~ properties | join(', ') ~ ')' if properties else 'cast(null as ' ~ string ~ ')')
                ~ ' as properties') -%}
        {%- else -%}
            {%- do outer.append('tracks.' ~ adapter.quote(column.name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(
        'select ' ~ outer | join(', ') ~ ', tracks._invalid_encoding or coalesce(' ~ (encodings + ['false']) | join(', ')
        ~ ') as _invalid_encoding from (select ' ~ selected | join(', ') ~ ', ' ~ encoding ~ ' as _invalid_encoding, '
        ~ ('cast(raw_table.' ~ table.columns['properties'].quoted ~ ' as ' ~ string ~ ') as _properties, '
            if 'properties' in table.columns else '')
        ~ 'cast(raw_table.' ~ table.columns['id'].quoted ~ ' as ' ~ string ~ ') as _message_id from ' ~ table.relation
        ~ ' as raw_table) as tracks ' ~ joins | join(' ')) }}
{% endmacro %}

