{{ audience.segment_members() }}
