-- depends_on: {{ ref('segment_churn_risk') }}
{{ audience.segment_members() }}
