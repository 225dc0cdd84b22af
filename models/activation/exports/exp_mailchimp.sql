-- Members of each segment to sync to mailchimp, with their contact fields.
{{ audience.export_members('mailchimp') }}
