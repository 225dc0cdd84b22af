{{ audience.clean_rows(ref('base_segment__pages')) }}
