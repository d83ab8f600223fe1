-- Raises an error with the given SQLSTATE from inside a statement, for checks that must abort the
-- transaction rather than touch no rows: a batch committed in one round trip (an implicit
-- transaction ending at Sync) has no chance to look at row counts before it commits. The hint
-- carries a value for the caller (the driver redacts the detail field by default).
create or replace function raise_refusal(refusal_state text, refusal_message text, refusal_hint text default null)
returns bigint language plpgsql as $$
begin
    raise exception using errcode = refusal_state, message = refusal_message, hint = coalesce(refusal_hint, '');
end
$$;
