-- Who asked for a run (the API key's name): a person's Run now, a retry, a button's click; null for schedules.
alter table flow_runs add column requested_by text null;

-- The object each side of a logged record belongs to (Account, CUSTOMER, SODOCUMENT ...). A flow's records are of
-- its flow's two objects and leave these null; a button's run touches several objects (the opportunity, its
-- customer, its items, the document) and names them, so a record's history can be scoped to its object.
alter table flow_run_records add column source_object text null;
alter table flow_run_records add column target_object text null;

-- Who changed what: each change to a connection, a flow, a key, a binding commit or an error's dismissal, with the
-- key that made it and the fields before and after (secrets never: they show as "(changed)").
create table audit_log (
    id ${identity},
    at ${timestamptz} not null,
    key_id text null,
    key_name text not null,
    entity text not null,
    entity_id text not null,
    action text not null,
    changes text not null
);

create index ix_audit_log_entity on audit_log (entity, entity_id, id);
