{#-
    Where identity stitching finds identifiers: one entry per staging model that carries them, the
    one list int_identifiers_unioned (sightings) and int_identifier_links_unioned (links) read.
    - name: the model's CTE name in both models, and the link_source of its links;
    - identifiers: its identifier columns, each to its identifier type;
    - seen_at: the column dating a sighting; linked_at: the one dating a link, seen_at if absent;
    - links: [identifier column, linked column] pairs seen together in one row (both not null).
      A list of columns in first place links the first of them that is not null.
-#}
{% macro identity_sources() %}
    {{ return([
        {
            'name': 'identifies',
            'model': 'stg_segment__identifies',
            'identifiers': {'anonymous_id': 'anonymous_id', 'user_id': 'user_id', 'email': 'email', 'phone': 'phone'},
            'seen_at': 'identified_at',
            'links': [
                ['anonymous_id', 'user_id'],
                [['user_id', 'anonymous_id'], 'email'],
                [['user_id', 'anonymous_id'], 'phone'],
            ],
        },
        {
            'name': 'tracks',
            'model': 'stg_segment__tracks',
            'identifiers': {'anonymous_id': 'anonymous_id', 'user_id': 'user_id'},
            'seen_at': 'event_at',
            'links': [['anonymous_id', 'user_id']],
        },
        {
            'name': 'pages',
            'model': 'stg_segment__pages',
            'identifiers': {'anonymous_id': 'anonymous_id', 'user_id': 'user_id'},
            'seen_at': 'viewed_at',
            'links': [['anonymous_id', 'user_id']],
        },
        {
            'name': 'contacts',
            'model': 'stg_crm__contacts',
            'identifiers': {'contact_id': 'contact_id', 'email': 'email', 'phone': 'phone'},
            'seen_at': 'created_at',
            'linked_at': 'updated_at',
            'links': [['contact_id', 'email'], ['contact_id', 'phone']],
        },
        {
            'name': 'orders',
            'model': 'stg_crm__orders',
            'identifiers': {'contact_id': 'contact_id', 'user_id': 'user_id', 'email': 'email'},
            'seen_at': 'ordered_at',
            'links': [['contact_id', 'email'], ['user_id', 'email'], ['contact_id', 'user_id']],
        },
        {
            'name': 'survey_responses',
            'model': 'stg_crm__survey_responses',
            'identifiers': {'user_id': 'user_id', 'email': 'email'},
            'seen_at': 'answered_at',
            'links': [['user_id', 'email']],
        },
    ]) }}
{% endmacro %}
