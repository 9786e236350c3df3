-- A record's history across runs (the console's bindings page): found by its key on either side.
create index ix_flow_run_records_source_key on flow_run_records (source_key);
create index ix_flow_run_records_target_key on flow_run_records (target_key);
