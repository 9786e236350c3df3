-- A connection is failing from its first failure after a success until a call on it succeeds again; the dashboard
-- shows since when.
alter table connections add column failing_since ${timestamptz} null;

-- The error queue holds the errors of whole runs (Intacct unreachable, a refused sign-in, a 5xx) beside those of
-- single records ('run' or 'record'); each error names the run it was last seen in, and the number people know its
-- support Case by (Creatio's Case.Number, such as SR00003).
alter table sync_errors add column scope text not null default 'record';
alter table sync_errors add column run_id ${bigint} null;
alter table sync_errors add column case_number text null;
