-- Webhook subscriptions, their delivery history and dead letters (docs/integrations.md).

-- One row per subscription. The checkpoint (a global-log cursor) and the retry state of the event
-- at the checkpoint are updated in the same transaction as the delivery record, so a crash between
-- sending and recording re-sends the same event (same webhook-id) instead of losing it.
create table if not exists webhook_subscriptions (
    id              uuid primary key,
    owner           text not null,             -- the API key that created it ("key:<id>")
    url             text not null,
    types           text[] not null default '{}',
    series          text[] not null default '{}',
    -- Needed in clear to sign deliveries (HMAC); never returned after creation, never logged.
    secret          text not null,
    status          text not null default 'active',   -- active | paused | disabled
    status_reason   text,
    checkpoint_tx   xid8 not null default '0',
    checkpoint_pos  bigint not null default 0,
    attempts        int not null default 0,    -- failed attempts at the event after the checkpoint
    next_attempt_at timestamptz,               -- null = now
    lease_owner     text,                      -- which server process is delivering (one at a time)
    lease_until     timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index if not exists webhook_subscriptions_due_idx on webhook_subscriptions (status, next_attempt_at);

create table if not exists webhook_deliveries (
    id              uuid primary key,
    subscription_id uuid not null references webhook_subscriptions (id) on delete cascade,
    event_id        uuid not null,              -- = webhook-id
    event_type      text not null,
    cursor          text not null,
    attempt         int not null,
    outcome         text not null,              -- delivered | failed | gone | dead-lettered | replayed | replay-failed
    http_status     int,
    error           text,
    duration_ms     int not null,
    attempted_at    timestamptz not null default now()
);
create index if not exists webhook_deliveries_subscription_idx on webhook_deliveries (subscription_id, attempted_at desc);

-- Events given up on after the last attempt; the payload is the public CloudEvent (no personal data).
create table if not exists webhook_dead_letters (
    id              uuid primary key,
    subscription_id uuid not null references webhook_subscriptions (id) on delete cascade,
    event_id        uuid not null,
    event_type      text not null,
    cursor          text not null,
    payload         text not null,
    attempts        int not null,
    last_status     int,
    last_error      text,
    created_at      timestamptz not null default now(),
    replayed_at     timestamptz
);
create index if not exists webhook_dead_letters_subscription_idx on webhook_dead_letters (subscription_id, created_at);
