-- Historian read models. Their tables belong to the projection daemon: each projection's tables
-- are created per generation (hist_*_g<n>) and read through views named hist_*, so a rebuild can
-- swap them (see SeriesPlatform.EventStore/Projections). What lives here supports the historian
-- queries that read the log itself.

-- Agenda releases are listed per edition straight from the log: a small partial index finds them
-- without scanning the edition's other events (registrations outnumber releases by far).
create index if not exists events_agenda_published_idx on events (stream_id, stream_version) where type = 'agenda.published';
