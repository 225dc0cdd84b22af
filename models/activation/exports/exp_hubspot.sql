-- Generated from orchestration/sync/destinations/hubspot.py: edit it and run
-- `python -m orchestration.sync.destinations`, not this file.
-- Members of each segment to sync to hubspot (HubSpot lists), with their contact fields.
{{ audience.export_members('hubspot') }}
