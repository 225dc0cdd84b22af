-- Members of each segment to sync to files, with their contact fields.
{{ audience.export_members('files') }}
