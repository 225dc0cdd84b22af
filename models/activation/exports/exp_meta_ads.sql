-- Members of each segment to sync to meta_ads, with their contact fields.
{{ audience.export_members('meta_ads') }}
