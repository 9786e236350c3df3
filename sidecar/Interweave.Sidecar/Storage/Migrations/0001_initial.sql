-- API keys: only a SHA-256 of the key is kept; the prefix finds the row without revealing the key.
create table api_keys (
    id text not null constraint pk_api_keys primary key,
    name text not null,
    role text not null,
    prefix text not null constraint uq_api_keys_prefix unique,
    key_hash text not null,
    created_at ${timestamptz} not null,
    last_used_at ${timestamptz} null,
    revoked_at ${timestamptz} null
);

-- Connection settings for Intacct and Creatio; the whole payload is encrypted with Data Protection.
create table connections (
    system text not null constraint pk_connections primary key,
    protected_settings text not null,
    updated_at ${timestamptz} not null,
    last_succeeded_at ${timestamptz} null,
    last_failed_at ${timestamptz} null,
    last_error text null
);
