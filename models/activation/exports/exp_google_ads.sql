-- Members of each segment to sync to google_ads, with their contact fields.
{{ audience.export_members('google_ads') }}
