-- Generated from orchestration/sync/destinations/webhook.py: edit it and run
-- `python -m orchestration.sync.destinations`, not this file.
-- Members of each segment to sync to webhook (Webhook), with their contact fields.
{{ audience.export_members('webhook') }}
