-- The fields a run wrote for a record with their old and new values (JSON: [{"field","old","new"}]), so a run's
-- page and a record's history show what changed, and who put a value back.
alter table flow_run_records add column changes text null;

-- The target fields a refused push tried to change (JSON array): while its error is open, the reverse pull leaves
-- the matching fields alone, so the edit waiting for the retry is not overwritten by the other system's value.
alter table flow_links add column failed_fields text null;

-- When the link's values were last written (a failure moves updated_at, not this): of a pair's two links, the one
-- written last holds the values both systems last agreed on.
alter table flow_links add column synced_at ${timestamptz} null;

-- A field both systems changed since it was last synced, with both values, until a person keeps one side's value.
-- Neither direction overwrites the field while its conflict is open.
create table sync_conflicts (
    id ${identity},
    binding_kind text not null,
    creatio_id text not null,
    intacct_id text not null,
    record_label text null,
    creatio_field text not null,
    intacct_field text not null,
    pull_flow_id text not null,
    push_flow_id text not null,
    creatio_value text null,
    intacct_value text null,
    synced_value text null,
    status text not null,
    kept text null,
    occurrences integer not null,
    first_seen_at ${timestamptz} not null,
    last_seen_at ${timestamptz} not null,
    resolved_at ${timestamptz} null
);

create unique index uq_sync_conflicts_open on sync_conflicts (binding_kind, creatio_id, creatio_field) where status = 'open';
