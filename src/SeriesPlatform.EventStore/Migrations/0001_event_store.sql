-- The event store: streams, the global log, and the append function.
-- A stream's version is max(stream_version) of its events (an index-only lookup), so appends
-- never update this row: it only records what the stream is and whether it is archived.
create table if not exists streams (
    id          text primary key,
    type        text not null,
    created_at  timestamptz not null default now(),
    archived    boolean not null default false
);

create table if not exists events (
    position        bigint generated always as identity primary key,
    -- The writing transaction's id. Readers only pass rows whose transaction is older than every
    -- transaction still running, so a slow commit can never be skipped (see GlobalLog).
    tx_id           xid8 not null default pg_current_xact_id(),
    stream_id       text not null,
    stream_version  bigint not null,
    event_id        uuid not null,
    type            text not null,
    schema_version  int not null default 1,
    data            jsonb not null,
    metadata        jsonb not null default '{}'::jsonb,
    recorded_at     timestamptz not null default now(),
    constraint events_stream_version_key unique (stream_id, stream_version),
    constraint events_stream_event_id_key unique (stream_id, event_id)
);

create index if not exists events_tx_position_idx on events (tx_id, position);
