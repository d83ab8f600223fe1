-- Crypto-shredding: attendees' personal data is stored encrypted with a key per person (subject).
-- Forgetting a person destroys the key; the ciphertext left in events and snapshots is unreadable.
create table if not exists personal_data_keys (
    subject_id   uuid primary key,
    key          bytea,
    created_at   timestamptz not null default now(),
    forgotten_at timestamptz
);

-- Server-wide secrets made on first start (the pepper of the keyed email fingerprints).
create table if not exists platform_secrets (
    name  text primary key,
    value bytea not null
);
