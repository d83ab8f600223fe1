using System.Diagnostics;
using Npgsql;
using SeriesPlatform.EventStore;
using SeriesPlatform.EventStore.Projections;
using SeriesPlatform.Server.History;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Benchmarks;

/// <summary>
/// The historian projections (catalog, people, search) catching up from an existing log of a
/// million events, then rebuilding from scratch, next to a raw sequential read of the same rows in
/// the same run. The log is bulk-loaded by one INSERT ... SELECT generate_series with the shapes
/// the domain writes: per edition of 250 events, a plan, organizers, 40 talks (some moved,
/// retitled, cancelled), breaks, 30 posters, 4 breakouts and ~140 registration events.
/// </summary>
public static class ProjectionBenchmark
{
    public static async Task RunAsync(BenchDatabase db, int events, Report report)
    {
        events = Math.Max(events, 250);
        var load = Stopwatch.StartNew();
        await using (var c = await db.DataSource.OpenConnectionAsync())
        await using (var bulk = new NpgsqlCommand(LoadSql(events) + "; analyze events", c) { CommandTimeout = 0 })
            await bulk.ExecuteNonQueryAsync();
        load.Stop();
        Console.WriteLine($"loaded {events:N0} events in {load.Elapsed.TotalSeconds:0.0} s");

        var raw = await RawReadAsync(db.DataSource);
        var store = new PostgresEventStore(db.DataSource, Setup.EventTypes(), new EventNotifications(db.DataSource));
        await using var daemon = new ProjectionDaemon(store, HistorySetup.Projections());

        var catchUp = Stopwatch.StartNew();
        await daemon.StartAsync();
        await daemon.WaitForCatchUpAsync(TimeSpan.FromMinutes(15));
        catchUp.Stop();

        var rebuild = Stopwatch.StartNew();
        foreach (var p in daemon.Projections) await daemon.RebuildAsync(p.Name);
        await daemon.WaitForCatchUpAsync(TimeSpan.FromMinutes(15), rebuilds: true);
        rebuild.Stop();
        var status = await daemon.StatusAsync();
        var deadLetters = await daemon.DeadLettersAsync();
        await daemon.StopAsync();
        // A fast run that dead-lettered its events would measure nothing: refuse it.
        if (deadLetters.Count > 0)
            throw new InvalidOperationException($"{deadLetters.Count} events were dead-lettered, e.g. {deadLetters[0].Type}: {deadLetters[0].Error}");

        report.Section("projections", "case", "events", "seconds", "events/s", "raw read events/s", "ratio");
        var rawRate = events / raw.TotalSeconds;
        report.Row("raw sequential read of the log (baseline)", events.ToString("N0"), raw.TotalSeconds.ToString("0.0"), rawRate.ToString("N0"), rawRate.ToString("N0"), "1.00");
        foreach (var (label, elapsed) in new[] { ("catch-up, 3 historian projections", catchUp.Elapsed), ("rebuild of all 3 (new tables, swap)", rebuild.Elapsed) })
        {
            var rate = events / elapsed.TotalSeconds;
            report.Row(label, events.ToString("N0"), elapsed.TotalSeconds.ToString("0.0"), rate.ToString("N0"), rawRate.ToString("N0"), (rate / rawRate).ToString("0.00"));
        }
        report.Note($"Targets: catch-up >= 20,000 log events/s; rebuild of 1M events <= 60 s. The three projections run concurrently and share their reads of the log " +
            $"(one page of every type any of them needs, each taking its own types: {string.Join(", ", status.Select(s => $"{s.Projection}: {s.EventsProcessed:N0} events"))}), " +
            "and commit rows + checkpoint per page (at most 1,000 events). The raw baseline reads every row once, in the same (tx_id, position) order, without deserializing. " +
            $"Bulk load of the log (not measured against a target): {load.Elapsed.TotalSeconds:0} s.");
    }

    private static async Task<TimeSpan> RawReadAsync(NpgsqlDataSource db)
    {
        var watch = Stopwatch.StartNew();
        await using var c = await db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("""
            select position, tx_id, stream_id, stream_version, event_id, type, schema_version, data::text, metadata::text, recorded_at
            from events order by tx_id, position
            """, c);
        long bytes = 0;
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) bytes += reader.GetString(7).Length + reader.GetString(8).Length;
        return watch.Elapsed;
    }

    // g = event number; e = edition; s = slot in the edition's 250 events; k = the talk a talk event is about.
    private static string LoadSql(int events) => $$"""
        insert into events (stream_id, stream_version, event_id, type, data, metadata, recorded_at)
        select 'edition-' || replace(ed::text, '-', ''), s + 1, md5('event' || g)::uuid, t.type, t.data,
               '{"actor":"key:bench","command":"Bench","source":"ops/bench projections"}'::jsonb,
               timestamptz '2017-01-01' + make_interval(secs => g)
        from (select g, g / 250 as e, g % 250 as s, md5('edition' || (g / 250))::uuid as ed,
                     date '2017-01-02' + ((g / 250) % 2500) as day from generate_series(0, {{events - 1}}) g) x
        cross join lateral (select case when x.s between 5 and 44 then x.s - 5 when x.s between 53 and 62 then x.s - 53
                                        when x.s between 63 and 70 then x.s - 53 when x.s between 71 and 72 then x.s - 51 else x.s end as k) kk
        cross join lateral (select md5(x.e || ':talk:' || kk.k)::uuid as talk,
                                   (array['symmetries','lattice field theory','neural networks','renormalization group','generative models',
                                          'dark matter','string vacua','simulation-based inference','equivariance','anomaly detection'])[1 + (x.e + kk.k) % 10] as topic,
                                   (x.day + interval '9 hours' + make_interval(mins => 30 * (kk.k % 16))) as start_local) tk
        cross join lateral (select
            case when x.s = 0 then 'edition.planned' when x.s < 5 then 'edition.organizer-added' when x.s < 45 then 'talk.scheduled'
                 when x.s < 53 then 'break.scheduled' when x.s < 63 then 'talk.rescheduled' when x.s < 71 then 'talk.details-revised'
                 when x.s < 73 then 'talk.cancelled' when x.s < 103 then 'poster.submitted' when x.s < 107 then 'breakout.opened'
                 when x.s < 227 then 'attendee.registered' when x.s < 237 then 'attendee.waitlisted' when x.s < 242 then 'registration.cancelled'
                 when x.s < 247 then 'attendee.promoted' else 'breakout.joined' end as type,
            case when x.s = 0 then jsonb_build_object('editionId', x.ed, 'seriesSlug', 'series-' || (x.e % 100), 'title', 'Workshop ' || x.e,
                     'startDate', x.day, 'endDate', x.day + 2, 'year', extract(year from x.day)::int, 'alternativeDates', '[]'::jsonb,
                     'timeZone', 'Europe/Rome', 'venue', jsonb_build_object('name', 'ICTP', 'city', 'Trieste', 'country', 'Italy'),
                     'format', 'inPerson', 'capacity', 120)
                 when x.s < 5 then jsonb_build_object('personName', 'Organizer ' || ((x.e * 4 + x.s) % 3000), 'affiliation', 'Institute ' || (x.s * 7 % 300))
                 when x.s < 45 then jsonb_build_object('talkId', tk.talk, 'kind', (array['invited','contributed','keynote','lightning'])[1 + kk.k % 4],
                     'title', 'On ' || tk.topic || ' (' || kk.k || ')',
                     'abstract', 'We study ' || tk.topic || ' with machine learning methods, compare with lattice results and discuss what the physics community can learn from it.',
                     'speakers', jsonb_build_array(jsonb_build_object('name', 'Speaker ' || ((x.e * 40 + kk.k) % 20000), 'affiliation', 'Institute ' || (kk.k * 13 % 300))),
                     'day', x.day, 'startLocal', tk.start_local, 'durationMinutes', 30, 'room', 'Main hall',
                     'startUtc', tk.start_local - interval '1 hour', 'endUtc', tk.start_local - interval '30 minutes', 'order', kk.k + 1)
                 when x.s < 53 then jsonb_build_object('itemId', md5(x.e || ':break:' || x.s)::uuid, 'kind', 'coffee', 'label', 'Coffee',
                     'day', x.day, 'startLocal', x.day + interval '18 hours', 'durationMinutes', 20, 'order', 100 + x.s)
                 when x.s < 63 then jsonb_build_object('talkId', tk.talk, 'day', x.day + 1, 'startLocal', tk.start_local + interval '1 day',
                     'durationMinutes', 30, 'room', 'Room 2', 'startUtc', tk.start_local + interval '23 hours', 'endUtc', tk.start_local + interval '23 hours 30 minutes')
                 when x.s < 71 then jsonb_build_object('talkId', tk.talk, 'title', 'Revised: ' || tk.topic)
                 when x.s < 73 then jsonb_build_object('talkId', tk.talk, 'reason', 'speaker unavailable')
                 when x.s < 103 then jsonb_build_object('posterId', md5(x.e || ':poster:' || x.s)::uuid, 'title', 'Poster on ' || tk.topic,
                     'authors', jsonb_build_array(jsonb_build_object('name', 'Student ' || ((x.e * 30 + x.s) % 50000), 'affiliation', 'University ' || (x.s % 200))))
                 when x.s < 107 then jsonb_build_object('breakoutId', md5(x.e || ':breakout:' || x.s)::uuid, 'topic', 'Breakout on ' || tk.topic,
                     'facilitator', jsonb_build_object('name', 'Facilitator ' || (x.e % 500)), 'capacity', 20, 'links', '[]'::jsonb,
                     'topics', jsonb_build_array('careers', tk.topic))
                 when x.s < 237 then jsonb_build_object('registrationId', md5(x.e || ':reg:' || x.s)::uuid, 'name', 'Attendee ' || x.g,
                     'email', 'a' || x.g || '@example.org', 'affiliation', 'Lab ' || (x.g % 100), 'at', timestamptz '2017-01-01' + make_interval(secs => x.g))
                 when x.s < 242 then jsonb_build_object('registrationId', md5(x.e || ':reg:' || (x.s - 130))::uuid, 'heldSeat', true,
                     'at', timestamptz '2017-01-01' + make_interval(secs => x.g))
                 when x.s < 247 then jsonb_build_object('registrationId', md5(x.e || ':reg:' || (x.s - 20))::uuid, 'at', timestamptz '2017-01-01' + make_interval(secs => x.g))
                 else jsonb_build_object('breakoutId', md5(x.e || ':breakout:103')::uuid, 'participantName', 'Attendee ' || x.g,
                     'registrationId', md5(x.e || ':reg:107')::uuid, 'at', timestamptz '2017-01-01' + make_interval(secs => x.g)) end as data) t
        order by g
        """;
}
