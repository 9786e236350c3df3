-- The binding run's reports: a dry run's findings (JSON) and, once committed, what the commit did.
create table binding_reports (
    id ${identity},
    kind text not null,
    created_at ${timestamptz} not null,
    committed_at ${timestamptz} null,
    report text not null,
    outcome text null
);
