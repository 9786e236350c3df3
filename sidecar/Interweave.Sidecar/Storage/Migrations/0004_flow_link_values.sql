-- The values each flow last wrote for a record, field by field: a later run writes only the fields whose source
-- value changed since then, so a record touched for one reason never puts back the other fields' old values.
alter table flow_links add column source_values text null;
