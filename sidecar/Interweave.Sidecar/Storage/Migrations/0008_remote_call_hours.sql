-- Calls to Intacct and Creatio per system and hour, for the dashboard: how many requests and functions, how many
-- failed, and their latency as counts in fixed buckets (upper bounds in RemoteCallMeter.BucketBoundsMs), so that
-- p50 and p95 can be read over any range by adding hours together.
create table remote_call_hours (
    system text not null,
    hour ${timestamptz} not null,
    requests integer not null default 0,
    functions integer not null default 0,
    failures integer not null default 0,
    b00 integer not null default 0, b01 integer not null default 0, b02 integer not null default 0, b03 integer not null default 0,
    b04 integer not null default 0, b05 integer not null default 0, b06 integer not null default 0, b07 integer not null default 0,
    b08 integer not null default 0, b09 integer not null default 0, b10 integer not null default 0, b11 integer not null default 0,
    b12 integer not null default 0, b13 integer not null default 0, b14 integer not null default 0, b15 integer not null default 0,
    constraint pk_remote_call_hours primary key (system, hour)
);
