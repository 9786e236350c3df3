-- The fingerprint of values that failed gets its own column instead of a "failed:" prefix on the fingerprint of
-- what was written, so a failure no longer hides what the flow last wrote.
alter table flow_links add column failed_fingerprint text;
update flow_links set failed_fingerprint = substr(fingerprint, 8), fingerprint = '' where fingerprint like 'failed:%';
