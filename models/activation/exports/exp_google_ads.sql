-- Generated from orchestration/sync/destinations/google_ads.py: edit it and run
-- `python -m orchestration.sync.destinations`, not this file.
-- Members of each segment to sync to google_ads (Google Customer Match), with their contact fields.
{{ audience.export_members('google_ads') }}
