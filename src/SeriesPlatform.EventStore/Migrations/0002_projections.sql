-- Async projections: one row per generation of a projection's tables. The live generation is
-- what readers see (through views named after the tables); a building generation is a rebuild in
-- progress, swapped in when it has caught up. The checkpoint (tx_id, position) is the global-log
-- cursor of the last event the generation has taken into account; it is moved in the same
-- transaction as the rows it produced, and only from the value the writer read (compare-and-set).
create table if not exists projection_generations (
    projection        text not null,
    generation        int not null,
    status            text not null check (status in ('live', 'building', 'retired')),
    tx_id             xid8 not null default '0',
    position          bigint not null default 0,
    events_processed  bigint not null default 0,
    last_event_at     timestamptz,
    started_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    finished_at       timestamptz,
    primary key (projection, generation)
);
create unique index if not exists projection_generations_one_live on projection_generations (projection) where status = 'live';
create unique index if not exists projection_generations_one_building on projection_generations (projection) where status = 'building';

-- Events a projection could not handle: the projection carries on, an operator looks and retries.
create table if not exists projection_dead_letters (
    id          bigint generated always as identity primary key,
    projection  text not null,
    generation  int not null,
    position    bigint not null,
    tx_id       xid8 not null,
    event_id    uuid not null,
    stream_id   text not null,
    type        text not null,
    error       text not null,
    attempts    int not null default 1,
    failed_at   timestamptz not null default now(),
    resolved_at timestamptz
);
create index if not exists projection_dead_letters_open_idx on projection_dead_letters (projection, generation) where resolved_at is null;
