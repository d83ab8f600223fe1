-- Inline read models: written in the same transaction as the events they come from.

-- The folded state of every aggregate at its latest version. Commands start from here instead of
-- folding the whole stream, and edition reads (agenda, registrations) are computed from it.
create table if not exists snapshots (
    stream_id   text primary key,
    stream_type text not null,
    version     bigint not null,
    state       jsonb not null,
    updated_at  timestamptz not null default now()
);

create table if not exists series_catalog (
    slug        text primary key,
    name        text not null,
    description text,
    version     bigint not null,
    created_at  timestamptz not null default now()
);

create table if not exists edition_catalog (
    id           uuid primary key,
    series_slug  text not null,
    title        text not null,
    start_date   date,
    end_date     date,
    year         int,
    dates_as_stated text,
    time_zone    text not null,
    format       text not null,
    status       text not null,
    venue        jsonb,
    talks        int not null default 0,
    posters      int not null default 0,
    breakouts    int not null default 0,
    attendees    int not null default 0,
    version      bigint not null
);
create index if not exists edition_catalog_series_idx on edition_catalog (series_slug, start_date);

-- A retried write with the same Idempotency-Key gets the first answer; recorded with the events.
create table if not exists idempotency_keys (
    scope        text not null,
    key          text not null,
    request_hash text not null,
    status       int not null,
    body         jsonb,
    location     text,
    etag         text,
    created_at   timestamptz not null default now(),
    primary key (scope, key)
);

create table if not exists api_keys (
    id           uuid primary key,
    name         text not null,
    role         text not null,
    series_slug  text,
    key_hash     text not null unique,
    created_at   timestamptz not null default now(),
    revoked_at   timestamptz,
    last_used_at timestamptz
);
