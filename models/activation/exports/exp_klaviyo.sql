-- Members of each segment to sync to klaviyo, with their contact fields.
{{ audience.export_members('klaviyo') }}
