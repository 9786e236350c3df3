-- Flows: templates loaded from the repository, with an admin's choices (enabled, schedule, settings) kept
-- across template upgrades, and the watermark of incremental pulls.
create table flows (
    id text not null primary key,
    template_version integer not null,
    definition text not null,
    enabled integer not null,
    schedule text null,
    settings text not null,
    watermark ${timestamptz} null,
    updated_at ${timestamptz} not null
);

-- One row per run. A partial unique index keeps one run at a time per flow, across processes.
create table flow_runs (
    id ${identity},
    flow_id text not null,
    trigger text not null,
    state text not null,
    started_at ${timestamptz} not null,
    finished_at ${timestamptz} null,
    read_count integer not null default 0,
    created_count integer not null default 0,
    updated_count integer not null default 0,
    unchanged_count integer not null default 0,
    failed_count integer not null default 0,
    watermark_from ${timestamptz} null,
    watermark_to ${timestamptz} null,
    error text null
);

create unique index uq_flow_runs_one_running on flow_runs (flow_id) where state = 'running';
create index ix_flow_runs_flow on flow_runs (flow_id, id);

create table flow_run_records (
    id ${identity},
    run_id ${bigint} not null,
    source_key text not null,
    target_key text null,
    action text not null,
    error text null,
    at ${timestamptz} not null
);

create index ix_flow_run_records_run on flow_run_records (run_id, id);

-- What each flow last wrote for a source record: the target it wrote to and a fingerprint of the values.
-- A record whose mapped values match the fingerprint is unchanged (this is also what suppresses echoes).
create table flow_links (
    flow_id text not null,
    source_key text not null,
    target_key text not null,
    fingerprint text not null,
    updated_at ${timestamptz} not null,
    constraint pk_flow_links primary key (flow_id, source_key)
);

-- Business errors that need a person: one open row per flow, record and kind of error; repeats count up.
create table sync_errors (
    id ${identity},
    flow_id text not null,
    record_key text not null,
    record_label text null,
    account_id text null,
    error_kind text not null,
    system text not null,
    error_no text null,
    message text not null,
    hint text null,
    status text not null,
    occurrences integer not null,
    case_id text null,
    first_seen_at ${timestamptz} not null,
    last_seen_at ${timestamptz} not null,
    closed_at ${timestamptz} null
);

create unique index uq_sync_errors_open on sync_errors (flow_id, record_key, error_kind) where status = 'open';
