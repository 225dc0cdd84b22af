{#-
    SQL of the columns with which a tracks model checks every property of the tracking plan
    (tracking_plan_properties()): a dict of select lists, `*` and the new columns for `parsed`,
    `extracted`, `failures` and `required`, the typed columns for `typed`:
    - `parsed`: property_texts, the JSON object column `properties` parsed once (json_texts_parsed)
      for every property of `typed_columns` or the plan;
    - `extracted`: property__<p>, the text (clean_identifier) of each of those properties, read
      from property_texts;
    - `failures`: failure__<p>, the rule the row's value breaks for its event (property_failure),
      one per planned property (event_name must hold the plan's name);
    - `required`: failed_required_property, failed_required_reason and failed_required_value, the
      first required property of the row's event that is missing or invalid;
    - `typed`: each column of `typed_columns` ({column: (property, SQL of the typed value)}),
      nulled when its property failed, and nulled_properties, a JSON object of the properties
      that failed and why (null when none did).
-#}
{% macro tracking_plan_columns(typed_columns) %}
    {%- set rules = audience.tracking_plan_properties() if execute else [] -%}
    {%- set planned = rules | map(attribute='name') | unique | list -%}
    {%- set extracted = (typed_columns.values() | map(attribute=0) | list + planned) | unique | list -%}
    {%- set columns = {'extracted': [], 'failures': [], 'required': [], 'typed': []} -%}
    {%- for property in extracted -%}
        {%- do columns.extracted.append(audience.clean_identifier(
            audience.json_parsed_text('property_texts', extracted, property)) ~ ' as property__' ~ property) -%}
    {%- endfor -%}
    {%- for property in planned -%}
        {%- set whens = [] -%}
        {%- for rule in rules if rule.name == property -%}
            {%- do whens.append("when " ~ audience.text_literal(rule.event) ~ " then "
                ~ audience.property_failure('property__' ~ property, rule)) -%}
        {%- endfor -%}
        {%- do columns.failures.append('case event_name ' ~ whens | join(' ') ~ ' end as failure__' ~ property) -%}
    {%- endfor -%}
    {%- set required = rules | selectattr('is_required') | list -%}
    {%- for output, when_failing in [
        ('failed_required_property', "'{name}'"),
        ('failed_required_reason', "coalesce(failure__{name}, 'required_property_missing')"),
        ('failed_required_value', 'property__{name}'),
    ] -%}
        {%- set whens = [] -%}
        {%- for rule in required -%}
            {%- do whens.append("when event_name = " ~ audience.text_literal(rule.event) ~ " and (property__"
                ~ rule.name ~ ' is null or failure__' ~ rule.name ~ ' is not null) then '
                ~ when_failing.format(name=rule.name)) -%}
        {%- endfor -%}
        {%- do columns.required.append(('case ' ~ whens | join(' ') ~ ' end' if whens else 'cast(null as '
            ~ dbt.type_string() ~ ')') ~ ' as ' ~ output) -%}
    {%- endfor -%}
    {%- for column, (property, value) in typed_columns.items() -%}
        {%- do columns.typed.append(('case when failure__' ~ property ~ ' is null then ' ~ value ~ ' end'
            if property in planned else value) ~ ' as ' ~ column) -%}
    {%- endfor -%}
    {%- set failures, failing = {}, [] -%}
    {%- for property in planned -%}
        {%- do failures.update({property: 'failure__' ~ property}) -%}
        {%- do failing.append('failure__' ~ property ~ ' is not null') -%}
    {%- endfor -%}
    {%- do columns.typed.append(('case when ' ~ failing | join(' or ') ~ ' then ' ~ audience.json_object(failures)
        ~ ' end' if failing else 'cast(null as ' ~ dbt.type_string() ~ ')') ~ ' as nulled_properties') -%}
    {%- set separator = ',\n        ' -%}
    {{ return({
        'parsed': '*' ~ separator ~ audience.json_texts_parsed('properties', extracted) ~ ' as property_texts',
        'extracted': (['*'] + columns.extracted) | join(separator),
        'failures': (['*'] + columns.failures) | join(separator),
        'required': (['*'] + columns.required) | join(separator),
        'typed': columns.typed | join(separator),
    }) }}
{% endmacro %}
