-- Generated from orchestration/sync/destinations/mailchimp.py: edit it and run
-- `python -m orchestration.sync.destinations`, not this file.
-- Members of each segment to sync to mailchimp (Mailchimp audience tags), with their contact fields.
{{ audience.export_members('mailchimp') }}
