-- Bulk history loads: one row per load, its period, the step it is on and what its finished steps counted. The
-- step being worked on counts in its flow run (flow_runs.id = current_run_id), so progress survives a crash.
create table bulk_loads (
    id ${identity},
    state text not null,
    period_from text not null,
    period_to text not null,
    step integer not null default 0,
    total integer not null default 0,
    done integer not null default 0,
    failed integer not null default 0,
    current_run_id ${bigint} null,
    active_seconds double precision not null default 0,
    resumed_at ${timestamptz} null,
    started_at ${timestamptz} not null,
    finished_at ${timestamptz} null,
    error text null
);
