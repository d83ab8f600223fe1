using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SeriesPlatform.Domain;
using SeriesPlatform.EventStore;
using SeriesPlatform.Server.Feed;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Benchmarks;

/// <summary>
/// The integration feed, hosted by the real server code on Kestrel (127.0.0.1, a free port):
/// 1. events/s read through GET /api/feed (pages of 1000) from the start of a 1,000,000-event log,
///    against one raw SQL query reading the same rows in the same order, same run;
/// 2. commit-to-SSE-client latency: a client on /api/feed/live while events are appended at ~100/s.
/// </summary>
public static class FeedBenchmark
{
    private const string Key = "sp_bench_feed_admin_key";
    private const int Events = 1_000_000;
    private const int EventsPerEdition = 500;

    public static async Task RunAsync(BenchDatabase db, TimeSpan duration, Report report)
    {
        await SchemaMigrator.MigrateAsync(db.DataSource, [typeof(PostgresEventStore).Assembly, typeof(Setup).Assembly]);
        var loaded = await LoadAsync(db);
        await using var app = await StartServerAsync(db.ConnectionString);
        var url = app.Urls.First();
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        report.Section("feed", "case", "feed", "raw SQL", "ratio");
        // Warm both paths (JIT, connections, the OS cache of the table) on the first 50,000 rows.
        await ReadFeedAsync(http, 50_000);
        await ReadRawAsync(db, 50_000);
        var raw = await ReadRawAsync(db, long.MaxValue);
        var store = await ReadStoreAsync(app.Services.GetRequiredService<PostgresEventStore>());
        var stored = await ReadStoredAsync(app.Services.GetRequiredService<PostgresEventStore>());
        var feed = await ReadFeedAsync(http, long.MaxValue);
        if (feed.Count != raw.Count) throw new InvalidOperationException($"The feed returned {feed.Count} events, the table holds {raw.Count}.");
        report.Row($"read {raw.Count:N0} events from the start", $"{feed.PerSecond:N0} events/s", $"{raw.PerSecond:N0} rows/s", (feed.PerSecond / raw.PerSecond).ToString("0.00"));
        report.Row("(breakdown) the store's ReadAllAsync pages of 1000, deserialized, no HTTP", $"{store.PerSecond:N0} events/s", "", (store.PerSecond / raw.PerSecond).ToString("0.00"));
        report.Row("(breakdown) the store's lean ReadAllStoredAsync pages of 1000 that the feed maps from, no HTTP", $"{stored.PerSecond:N0} events/s", "", (stored.PerSecond / raw.PerSecond).ToString("0.00"));

        var latencies = await MeasureLiveLatencyAsync(app, http, duration < TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : duration);
        report.Row($"commit → SSE client, {latencies.Length:N0} events at ~100/s", $"p50 {Percentile(latencies, 0.50):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, max {latencies.Max():0.0} ms", "", "");
        report.Note($"Targets: feed/raw ratio >= 0.5; SSE p99 <= 50 ms. The log was bulk-loaded with one INSERT ... SELECT generate_series ({(loaded ? "this run" : "reused")}): " +
            $"{Events:N0} events in {Events / EventsPerEdition:N0} edition streams (edition.planned, talk.scheduled with speakers and abstract, talk.rescheduled, " +
            "attendee.registered with name and email that the feed must drop). The feed client reads pages of 1000 with the cursor, one request at a time, " +
            "and counts the CloudEvents; the server maps each stored event's JSON straight into its CloudEvent (no internal or public objects in between) and reads the next page ahead while the client takes in the current one. " +
            "The raw baseline is one streaming SELECT of every column in (tx_id, position) order. " +
            "Latency: from the append's return (commit) to the SSE client reading the event; the server, client and PostgreSQL share the machine.");
    }

    /// <summary>The log, once per database: one statement writes every row (realistic JSON, the store's own shapes).</summary>
    private static async Task<bool> LoadAsync(BenchDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using (var count = new NpgsqlCommand("select count(*) from events", connection))
            if ((long)(await count.ExecuteScalarAsync())! >= Events) return false;
        var stopwatch = Stopwatch.StartNew();
        await using var load = new NpgsqlCommand($$"""
            insert into events (stream_id, stream_version, event_id, type, data, metadata)
            select 'edition-' || replace(md5('bench-edition-' || e)::uuid::text, '-', ''), v, md5('bench-event-' || g)::uuid,
              case when v = 1 then 'edition.planned' when v % 10 = 0 then 'attendee.registered' when v % 7 = 0 then 'talk.rescheduled' else 'talk.scheduled' end,
              case
                when v = 1 then jsonb_build_object('editionId', md5('bench-edition-' || e)::uuid, 'seriesSlug', 'bench-series-' || (e % 20),
                  'title', 'Deep Learning and Physics ' || (2017 + e % 8), 'startDate', '2022-08-08', 'endDate', '2022-08-10', 'year', 2022,
                  'alternativeDates', '[]'::jsonb, 'timeZone', 'Asia/Tokyo', 'venue', jsonb_build_object('name', 'Yukawa Institute', 'city', 'Kyoto', 'country', 'Japan'),
                  'format', 'hybrid', 'capacity', 120, 'virtualMeetingUrl', 'https://zoom.example/j/' || e)
                when v % 10 = 0 then jsonb_build_object('registrationId', md5('bench-registration-' || g)::uuid, 'name', 'Attendee ' || g,
                  'email', 'attendee' || g || '@example.org', 'affiliation', 'University of Tokyo', 'at', '2022-07-01T10:00:00+00:00')
                when v % 7 = 0 then jsonb_build_object('talkId', md5('bench-talk-' || (g - 1))::uuid, 'day', '2022-08-09', 'startLocal', '2022-08-09T14:30:00',
                  'durationMinutes', 30, 'room', 'Panasonic Auditorium', 'startUtc', '2022-08-09T05:30:00+00:00', 'endUtc', '2022-08-09T06:00:00+00:00')
                else jsonb_build_object('talkId', md5('bench-talk-' || g)::uuid, 'kind', 'invited', 'title', 'Neural network renormalization group, part ' || v,
                  'abstract', 'We study how deep generative models learn the coarse-graining of lattice field theories and what symmetries they preserve. ' || g,
                  'speakers', jsonb_build_array(jsonb_build_object('name', 'Speaker ' || (g % 997), 'affiliation', 'RIKEN AIP')),
                  'day', '2022-08-08', 'startLocal', '2022-08-08T09:15:00', 'durationMinutes', 45, 'room', 'Panasonic Auditorium',
                  'startUtc', '2022-08-08T00:15:00+00:00', 'endUtc', '2022-08-08T01:00:00+00:00', 'order', v)
              end,
              jsonb_build_object('actor', 'key:bench', 'command', 'ScheduleTalk', 'correlationId', md5('corr' || g))
            from generate_series(0, {{Events - 1}}) as g, lateral (select g / {{EventsPerEdition}} as e, g % {{EventsPerEdition}} + 1 as v) as s
            order by g
            """, connection) { CommandTimeout = 0 };
        await load.ExecuteNonQueryAsync();
        await using (var analyze = new NpgsqlCommand("vacuum analyze events", connection) { CommandTimeout = 0 }) await analyze.ExecuteNonQueryAsync();
        Console.WriteLine($"loaded {Events:N0} events in {stopwatch.Elapsed.TotalSeconds:0.0} s");
        return true;
    }

    /// <summary>The server's own service registrations and feed endpoints on Kestrel; background services left out so they do not compete.</summary>
    private static async Task<WebApplication> StartServerAsync(string connectionString)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["SERIES_DATABASE"] = connectionString;
        builder.Configuration["SERIES_BOOTSTRAP_ADMIN_KEY"] = Key;
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var before = builder.Services.Where(d => d.ServiceType == typeof(IHostedService)).ToHashSet();
        builder.Services.AddSeriesPlatform();
        foreach (var added in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && !before.Contains(d)).ToList())
            builder.Services.Remove(added);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapFeed();
        await app.StartAsync();
        return app;
    }

    private sealed record Rate(long Count, double PerSecond);

    private static async Task<Rate> ReadFeedAsync(HttpClient http, long max)
    {
        var stopwatch = Stopwatch.StartNew();
        var cursor = "0-0";
        long count = 0;
        var marker = "\"specversion\""u8.ToArray();
        while (count < max)
        {
            using var response = await http.GetAsync($"/api/feed?after={cursor}&limit=1000");
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsByteArrayAsync();
            var n = 0;
            for (var span = body.AsSpan(); span.IndexOf(marker) is var i and >= 0; span = span[(i + marker.Length)..]) n++;
            if (n == 0) break;
            count += n;
            cursor = response.Headers.GetValues(FeedEndpoints.CursorHeader).Single();
        }
        return new Rate(count, count / stopwatch.Elapsed.TotalSeconds);
    }

    /// <summary>What the feed starts from: the store's gap-safe pages, deserialized into the domain's records.</summary>
    private static async Task<Rate> ReadStoreAsync(PostgresEventStore store)
    {
        var stopwatch = Stopwatch.StartNew();
        var cursor = GlobalCursor.Start;
        long count = 0;
        while (await store.ReadAllAsync(cursor, 1000) is { Count: > 0 } page)
        {
            count += page.Count;
            cursor = page[^1].Cursor;
        }
        return new Rate(count, count / stopwatch.Elapsed.TotalSeconds);
    }

    /// <summary>What the feed reads now: the same gap-safe pages, lean columns, the data left as stored JSON.</summary>
    private static async Task<Rate> ReadStoredAsync(PostgresEventStore store)
    {
        var stopwatch = Stopwatch.StartNew();
        var cursor = GlobalCursor.Start;
        long count = 0, bytes = 0;
        while (true)
        {
            var read = 0;
            await foreach (var e in store.ReadAllStoredAsync(cursor, 1000))
            {
                bytes += e.Data.Length;
                cursor = e.Cursor;
                read++;
            }
            count += read;
            if (read < 1000) break;
        }
        return new Rate(count, count / stopwatch.Elapsed.TotalSeconds);
    }

    private static async Task<Rate> ReadRawAsync(BenchDatabase db, long max)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("""
            select position, tx_id, stream_id, stream_version, event_id, type, schema_version, data::text, metadata::text, recorded_at
            from events where tx_id < pg_snapshot_xmin(pg_current_snapshot()) order by tx_id, position limit $1
            """, connection);
        cmd.Parameters.AddWithValue(max);
        await using var reader = await cmd.ExecuteReaderAsync();
        long count = 0, bytes = 0; // touch the JSON text like a consumer would
        while (await reader.ReadAsync())
        {
            _ = reader.GetInt64(0); _ = reader.GetFieldValue<ulong>(1); _ = reader.GetString(2); _ = reader.GetInt64(3); _ = reader.GetGuid(4);
            _ = reader.GetString(5); _ = reader.GetInt32(6);
            bytes += reader.GetString(7).Length + reader.GetString(8).Length;
            _ = reader.GetFieldValue<DateTimeOffset>(9);
            count++;
        }
        return new Rate(count, count / stopwatch.Elapsed.TotalSeconds);
    }

    /// <summary>Appends talks at ~100/s to a fresh edition; an SSE client filtered on its series stamps each arrival.</summary>
    private static async Task<double[]> MeasureLiveLatencyAsync(WebApplication app, HttpClient http, TimeSpan duration)
    {
        var store = app.Services.GetRequiredService<PostgresEventStore>();
        var editionId = Guid.NewGuid();
        var stream = $"edition-{editionId:N}";
        await store.AppendAsync(stream, "edition", ExpectedVersion.NoStream, [EventData.New(new EditionPlanned(editionId, "bench-live", "Live", null, null, 2022, null, [],
            "Europe/Rome", null, EditionFormat.Virtual, null, null))]);

        var total = (int)(duration.TotalSeconds * 100);
        var committed = new long[total];
        var received = new long[total];
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/feed/live?series=bench-live&types=talk.scheduled.v1");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync();
        var reading = Task.Run(async () =>
        {
            using var reader = new StreamReader(body);
            var seen = 0;
            while (seen < total && await reader.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
                var now = Stopwatch.GetTimestamp();
                using var json = JsonDocument.Parse(line.AsMemory(6));
                received[int.Parse(json.RootElement.GetProperty("data").GetProperty("title").GetString()!["Live talk ".Length..])] = now;
                seen++;
            }
        });

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var version = 1L;
        for (var i = 0; i < total; i++)
        {
            await timer.WaitForNextTickAsync();
            var talk = new TalkScheduled(Guid.NewGuid(), TalkKind.Contributed, $"Live talk {i}", null, [], null, null, 20, null, null, null, i);
            var result = await store.AppendAsync(stream, "edition", ExpectedVersion.Exactly(version), [EventData.New(talk)]);
            committed[i] = Stopwatch.GetTimestamp();
            version = result.Version;
        }
        if (await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(30))) != reading) throw new TimeoutException("The SSE client did not receive every event.");
        return committed.Zip(received, (c, r) => Math.Max(0, Stopwatch.GetElapsedTime(c, r).TotalMilliseconds)).ToArray();
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
