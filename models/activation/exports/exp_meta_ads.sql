-- Generated from orchestration/sync/destinations/meta_ads.py: edit it and run
-- `python -m orchestration.sync.destinations`, not this file.
-- Members of each segment to sync to meta_ads (Meta Custom Audiences), with their contact fields.
{{ audience.export_members('meta_ads') }}
