-- Members of each segment to sync to hubspot, with their contact fields.
{{ audience.export_members('hubspot') }}
