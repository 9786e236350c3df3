-- What a bulk load wrote (created or updated), so a load whose records failed and that wrote nothing ends failed.
alter table bulk_loads add column written integer not null default 0;

-- The console's search (GET /api/search): a record by either system's key, by its number or name, across the run
-- log, the bindings and the error queue. Keys match exactly; names and numbers from their start, without case, as a
-- range over lower(label) compared byte by byte. flow_run_records' source_key and target_key have their indexes (0010).
create index ix_flow_run_records_label on flow_run_records ((lower(label)) ${bytewise});
create index ix_bindings_creatio_id on bindings (creatio_id);
create index ix_bindings_intacct_id on bindings (intacct_id);
create index ix_bindings_intacct_record_no on bindings (intacct_record_no);
create index ix_sync_errors_record_key on sync_errors (record_key);
create index ix_sync_errors_label on sync_errors ((lower(record_label)) ${bytewise});
create index ix_sync_errors_case_number on sync_errors (case_number);
