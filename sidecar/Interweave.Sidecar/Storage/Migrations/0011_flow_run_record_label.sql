-- The name people know a record by (a customer's NAME, an invoice's number), logged with each outcome so a run's
-- records can be searched by name as well as by key.
alter table flow_run_records add column label text null;
