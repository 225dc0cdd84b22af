{#-
    SQL (a query) of the source table `table_name` (tracks, pages or identifies) with the columns
    the `segment` sources YAML declares (`columns`: name and data_type), read from Snowplow's
    atomic events table (var snowplow_events_table, default `events`) next to `relation`:

    - pages: the `page_view` events;
    - identifies: the self-describing events whose schema is named var snowplow_identify_event
      (default `identify`), with the traits email, phone, first_name and last_name;
    - tracks: every other event. A self-describing event's name is its schema's (`event_name`,
      matched to the tracking plan by snake case) and its properties the JSON of its
      `unstruct_event_<vendor>_<name>_<version>` column, loaded as JSON text or typed; a
      structured event's name is se_action and its properties se_category (as `category`),
      se_label, se_property and se_value. Other events (page pings, link clicks, ...) keep their
      `event` value as name: staging quarantines them as unknown_event_name unless the tracking
      plan lists them.

    The anonymous id is domain_userid, or network_userid where it is missing; device class and
    operating system come from the YAUAA entity (contexts_nl_basjes_yauaa_context_1), or the
    deprecated dvce_type and os_name columns.
-#}
{% macro snowplow_atomic_events(relation, table_name, columns) %}
    {%- set events_name = var('snowplow_events_table', env_var('AUDIENCE_SNOWPLOW_EVENTS_TABLE', 'events')) -%}
    {%- set table = audience.layout_relation_columns(relation, events_name) -%}
    {%- if table is none -%}
        {{ exceptions.raise_compiler_error(
            "var event_layout is 'snowplow_atomic', which reads the table " ~ relation.schema ~ "." ~ events_name
            ~ ": it does not exist (check var raw_schema / env AUDIENCE_RAW_SCHEMA and var snowplow_events_table, or "
            ~ "the files below var raw_data_path).") }}
    {%- endif -%}
    {%- set string = dbt.type_string() -%}
    {%- set col = audience._snowplow_column -%}
    {%- set identify = var('snowplow_identify_event', 'identify') -%}
    {%- set event_name = "lower(" ~ col(table, ['event_name'], string) ~ ")" -%}
    {%- set event_type = "lower(" ~ col(table, ['event'], string) ~ ")" -%}
    {%- set plan = audience.tracking_plan_events() if table_name == 'tracks' else [] -%}
    {%- set self_describing = audience._snowplow_self_describing_columns(table, plan | map(attribute='slug') | list + [identify]) -%}
    {%- set yauaa = audience._snowplow_entity(table, 'contexts_nl_basjes_yauaa_context_') -%}
    {%- set device_class = "lower(coalesce(" ~ audience.json_extract_text(yauaa, 'deviceClass') ~ ", "
        ~ audience.json_extract_text(yauaa, 'device_class') ~ "))" -%}
    {%- set common = {
        'id': col(table, ['event_id'], string),
        'anonymous_id': col(table, ['domain_userid', 'network_userid'], string),
        'user_id': col(table, ['user_id'], string),
        'timestamp': col(table, ['derived_tstamp', 'collector_tstamp'], 'timestamp with time zone'),
        'original_timestamp': col(table, ['dvce_created_tstamp'], 'timestamp with time zone'),
        'sent_at': col(table, ['dvce_sent_tstamp'], 'timestamp with time zone'),
        'received_at': col(table, ['collector_tstamp'], 'timestamp with time zone'),
        'context_ip': col(table, ['user_ipaddress'], string),
        'context_user_agent': col(table, ['useragent'], string),
        'context_locale': col(table, ['br_lang'], string),
        'context_library_name': col(table, ['v_tracker'], string),
        'context_device_type': "coalesce(case " ~ device_class ~ " when 'phone' then 'mobile' when 'mobile' then 'mobile' "
            ~ "when 'tablet' then 'tablet' when 'desktop' then 'desktop' end, " ~ col(table, ['dvce_type'], string) ~ ")",
        'context_os_name': "coalesce(" ~ audience.json_extract_text(yauaa, 'operatingSystemName') ~ ", "
            ~ audience.json_extract_text(yauaa, 'operating_system_name') ~ ", " ~ col(table, ['os_name'], string) ~ ")",
        'context_page_url': col(table, ['page_url'], string),
        'context_page_path': col(table, ['page_urlpath'], string),
        'context_page_title': col(table, ['page_title'], string),
        'context_page_referrer': col(table, ['page_referrer'], string),
        'context_location_country': col(table, ['geo_country'], string),
        'context_location_region': col(table, ['geo_region_name', 'geo_region'], string),
        'context_location_city': col(table, ['geo_city'], string),
        'context_campaign_source': col(table, ['mkt_source'], string),
        'context_campaign_medium': col(table, ['mkt_medium'], string),
        'context_campaign_name': col(table, ['mkt_campaign'], string),
        'context_campaign_content': col(table, ['mkt_content'], string),
        'context_campaign_term': col(table, ['mkt_term'], string),
    } -%}
    {%- set properties_by_event = [] -%}
    {%- for slug, json_text in self_describing.items() if slug != identify -%}
        {%- do properties_by_event.append("when " ~ event_name ~ " = '" ~ slug ~ "' then " ~ json_text) -%}
    {%- endfor -%}
    {%- set event_text = [] -%}
    {%- for event in plan -%}
        {%- do event_text.append("when '" ~ event.slug ~ "' then '" ~ event.name | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {%- set identify_traits = self_describing.get(identify, 'cast(null as ' ~ string ~ ')') -%}
    {%- set specific = {
        'pages': {
            'name': 'cast(null as ' ~ string ~ ')',
            'url': common['context_page_url'],
            'path': common['context_page_path'],
            'title': common['context_page_title'],
            'referrer': common['context_page_referrer'],
            'search': "case when " ~ col(table, ['page_urlquery'], string) ~ " <> '' then '?' || "
                ~ col(table, ['page_urlquery'], string) ~ " end",
        },
        'identifies': {
            'email': audience.json_extract_text(identify_traits, 'email'),
            'phone': audience.json_extract_text(identify_traits, 'phone'),
            'first_name': audience.json_extract_text(identify_traits, 'first_name'),
            'last_name': audience.json_extract_text(identify_traits, 'last_name'),
        },
        'tracks': {
            'event': "case " ~ event_type ~ " when 'struct' then " ~ col(table, ['se_action'], string)
                ~ " when 'unstruct' then " ~ event_name ~ " else " ~ event_type ~ " end",
            'event_text': "case " ~ event_type ~ " when 'struct' then " ~ col(table, ['se_action'], string)
                ~ " when 'unstruct' then case " ~ event_name ~ " " ~ event_text | join(' ') ~ " end end",
            'properties': "case " ~ event_type ~ " when 'struct' then " ~ audience.json_object({
                'category': col(table, ['se_category'], string),
                'label': col(table, ['se_label'], string),
                'property': col(table, ['se_property'], string),
                'value': col(table, ['se_value'], dbt.type_float()),
            }) ~ (" when 'unstruct' then case " ~ properties_by_event | join(' ') ~ " end" if properties_by_event else '') ~ " end",
        },
    }[table_name] -%}
    {%- set selected = [] -%}
    {%- for column in columns -%}
        {%- set expression = specific.get(column.name, common.get(column.name, 'cast(null as ' ~ column.data_type ~ ')')) -%}
        {%- do selected.append(expression ~ ' as ' ~ adapter.quote(column.name)) -%}
    {%- endfor -%}
    {%- set is_identify = event_type ~ " = 'unstruct' and " ~ event_name ~ " = '" ~ identify ~ "'" -%}
    {%- set rows = {
        'pages': event_type ~ " = 'page_view'",
        'identifies': is_identify,
        'tracks': "coalesce(" ~ event_type ~ ", '') <> 'page_view' and not coalesce(" ~ is_identify ~ ", false)",
    }[table_name] -%}
    {{ return('select ' ~ selected | join(', ') ~ ', '
        ~ ('raw_table._invalid_encoding' if '_invalid_encoding' in table.columns else 'false') ~ ' as _invalid_encoding from '
        ~ table.relation ~ ' as raw_table where ' ~ rows) }}
{% endmacro %}


{#- SQL: the first of `candidates` the events table has, cast to data_type (macro layout_column). -#}
{% macro _snowplow_column(table, candidates, data_type) %}
    {{ return(audience.layout_column(table, candidates, data_type, 'raw_table')) }}
{% endmacro %}


{#- {event slug: SQL of its properties as JSON text} for the self-describing event columns
    `unstruct_event_<vendor>_<slug>_<major>` (or `_<major>_<minor>_<patch>`) of `slugs`, every
    version coalesced; a column matching several slugs belongs to the longest. -#}
{% macro _snowplow_self_describing_columns(table, slugs) %}
    {%- set re = modules.re -%}
    {%- set found = {} -%}
    {%- for name, column in table.columns.items() | sort if name.startswith('unstruct_event_') -%}
        {%- set best = namespace(slug=none) -%}
        {%- for slug in slugs if re.match('^unstruct_event_[a-z0-9_]+_' ~ slug ~ '_[0-9]+(_[0-9]+_[0-9]+)?$', name) -%}
            {%- if best.slug is none or slug | length > best.slug | length -%}
                {%- set best.slug = slug -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if best.slug is not none -%}
            {%- do found.setdefault(best.slug, []).append(audience.layout_json_text('raw_table.' ~ column.quoted, column.type)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set texts = {} -%}
    {%- for slug, parts in found.items() -%}
        {%- do texts.update({slug: parts[0] if parts | length == 1 else 'coalesce(' ~ parts | join(', ') ~ ')'}) -%}
    {%- endfor -%}
    {{ return(texts) }}
{% endmacro %}


{#- SQL: the first entity of the `contexts_<prefix...>` columns as JSON text (every version coalesced), or null. -#}
{% macro _snowplow_entity(table, prefix) %}
    {%- set parts = [] -%}
    {%- for name, column in table.columns.items() | sort if name.startswith(prefix) -%}
        {%- do parts.append(audience.layout_json_text('raw_table.' ~ column.quoted, column.type, first_element=true)) -%}
    {%- endfor -%}
    {%- if not parts -%}
        {{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}
    {%- endif -%}
    {{ return(parts[0] if parts | length == 1 else 'coalesce(' ~ parts | join(', ') ~ ')') }}
{% endmacro %}
