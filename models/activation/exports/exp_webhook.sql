-- Members of each segment to sync to webhook, with their contact fields.
{{ audience.export_members('webhook') }}
