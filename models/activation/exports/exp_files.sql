-- Generated from orchestration/sync/destinations/files.py: edit it and run
-- `python -m orchestration.sync.destinations`, not this file.
-- Members of each segment to sync to files (Files), with their contact fields.
{{ audience.export_members('files') }}
