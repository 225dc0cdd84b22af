{#-
    SQL boolean: whether behavioural data of the person `person_id` may be profiled. With var
    require_analytics_consent true, only persons whose current analytics consent is granted
    (int_persons_privacy_evaluated); otherwise everybody (`true`), for stores whose legal basis for
    analytics is not consent.
-#}
{% macro has_analytics_consent(person_id) %}
    {%- if not var('require_analytics_consent') -%}
        {{ return('true') }}
    {%- endif -%}
    {{ return(person_id ~ ' in (select consents.person_id from ' ~ ref('int_persons_privacy_evaluated')
        ~ ' as consents where consents.is_analytics_consented)') }}
{% endmacro %}
