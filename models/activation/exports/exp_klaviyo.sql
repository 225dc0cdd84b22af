-- Generated from orchestration/sync/destinations/klaviyo.py: edit it and run
-- `python -m orchestration.sync.destinations`, not this file.
-- Members of each segment to sync to klaviyo (Klaviyo lists), with their contact fields.
{{ audience.export_members('klaviyo') }}
