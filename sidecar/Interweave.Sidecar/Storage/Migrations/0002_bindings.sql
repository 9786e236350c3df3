-- The spine of the integration: which Creatio record is which Intacct record.
-- A row with intacct_id null is a claim: a send in progress that a concurrent send must not repeat.
create table bindings (
    kind text not null,
    creatio_id text not null,
    intacct_id text null,
    intacct_record_no text null,
    created_at ${timestamptz} not null,
    updated_at ${timestamptz} not null,
    constraint pk_bindings primary key (kind, creatio_id)
);

create unique index uq_bindings_intacct on bindings (kind, intacct_id);
