-- How many records a run will read, when the source says so at its first page (Intacct's totalcount): progress and
-- time left for the console.
alter table flow_runs add column total_count integer null;
