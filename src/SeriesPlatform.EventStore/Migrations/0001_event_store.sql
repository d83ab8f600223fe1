-- The event store: streams, the global log, and the append function.
create table if not exists streams (
    id          text primary key,
    type        text not null,
    version     bigint not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
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

-- One round trip per stream: lock the stream row, check idempotency and the expected version,
-- insert the batch, bump the version and wake readers. Returns a status instead of raising so
-- callers get the actual version without parsing messages.
--   p_expected: null = any version, 0 = the stream must not exist yet, n = exactly n.
create or replace function append_events(
    p_stream text, p_stream_type text, p_expected bigint,
    p_ids uuid[], p_types text[], p_schema_versions int[], p_data jsonb[], p_metadata jsonb[])
returns table (status text, stream_version bigint, first_position bigint, last_position bigint)
language plpgsql as $$
declare
    v_version  bigint;
    v_archived boolean;
    v_count    int := coalesce(array_length(p_ids, 1), 0);
begin
    select s.version, s.archived into v_version, v_archived from streams s where s.id = p_stream for update;
    if not found then
        if p_expected is not null and p_expected <> 0 then
            -- Nothing is written for a refused append, not even an empty stream row.
            return query select 'conflict'::text, 0::bigint, null::bigint, null::bigint;
            return;
        end if;
        insert into streams (id, type, version) values (p_stream, p_stream_type, 0) on conflict (id) do nothing;
        select s.version, s.archived into v_version, v_archived from streams s where s.id = p_stream for update;
    end if;

    if v_archived then
        return query select 'archived'::text, v_version, null::bigint, null::bigint;
        return;
    end if;

    -- An idempotent retry: the batch was appended before. Answer with the original result.
    if v_count > 0 and exists (select 1 from events e where e.stream_id = p_stream and e.event_id = p_ids[1]) then
        return query
            select 'duplicate'::text, max(e.stream_version), min(e.position), max(e.position)
            from events e where e.stream_id = p_stream and e.event_id = any(p_ids);
        return;
    end if;

    if p_expected is not null and p_expected <> v_version then
        return query select 'conflict'::text, v_version, null::bigint, null::bigint;
        return;
    end if;

    if v_count = 0 then
        return query select 'ok'::text, v_version, null::bigint, null::bigint;
        return;
    end if;

    return query
    with inserted as (
        insert into events (stream_id, stream_version, event_id, type, schema_version, data, metadata)
        select p_stream, v_version + u.ord, u.id, u.t, u.sv, u.d, u.m
        from unnest(p_ids, p_types, p_schema_versions, p_data, p_metadata) with ordinality as u(id, t, sv, d, m, ord)
        order by u.ord
        returning events.position
    )
    select 'ok'::text, v_version + v_count, min(i.position), max(i.position) from inserted i;

    update streams set version = v_version + v_count, updated_at = now() where id = p_stream;
    perform pg_notify('series_events', p_stream);
end;
$$;
