using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using SeriesPlatform.EventStore;

namespace SeriesPlatform.Benchmarks;

/// <summary>
/// Appends per second through the store against a raw Npgsql INSERT into a table of the same shape
/// (same columns, defaults, constraints and indexes), each in its own transaction, same run.
/// </summary>
public static class AppendBenchmark
{
    public sealed record Ping(int Writer, int Number, string Payload);

    public static async Task RunAsync(BenchDatabase db, TimeSpan duration, Report report)
    {
        await db.ExecuteAsync("drop table if exists bench_raw_events; create table bench_raw_events (like events including all)");
        var store = new PostgresEventStore(db.DataSource, new EventTypeRegistry().Register<Ping>("bench.ping"), new EventNotifications(db.DataSource));

        report.Section("append", "case", "store events/s", "raw INSERT events/s", "ratio");
        foreach (var (label, writers, batch) in new[] { ("single event, 1 writer", 1, 1), ("single event, 8 writers", 8, 1), ("10-event batches, 8 writers", 8, 10) })
        {
            // Warm both paths (connections, prepared statements) before measuring.
            await Measure(writers, batch, TimeSpan.FromSeconds(1), (w, n) => StoreAppend(store, w, n, batch));
            await Measure(writers, batch, TimeSpan.FromSeconds(1), (w, n) => RawInsert(db.DataSource, w, n, batch));
            // Alternate short rounds so that load drifting on the machine hits both sides alike.
            double raw = 0, ours = 0;
            const int rounds = 4;
            for (var round = 0; round < rounds; round++)
            {
                raw += await Measure(writers, batch, duration / rounds, (w, n) => RawInsert(db.DataSource, w, n, batch)) / rounds;
                ours += await Measure(writers, batch, duration / rounds, (w, n) => StoreAppend(store, w, n, batch)) / rounds;
            }
            report.Row(label, ours.ToString("N0"), raw.ToString("N0"), (ours / raw).ToString("0.00"));
        }
        report.Note("Target: ratio >= 0.75 in every row. A store append is one statement (head version, archived check, insert under the unique (stream, version) constraint) plus JSON serialization of each event and its metadata; the raw baseline inserts pre-built JSON of the same rows.");
    }

    private static async Task<double> Measure(int writers, int batch, TimeSpan duration, Func<int, int, Task> operation)
    {
        var counts = new long[writers];
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var n = 0; stopwatch.Elapsed < duration; n++)
            {
                await operation(w, n);
                counts[w] += batch;
            }
        })));
        return counts.Sum() / stopwatch.Elapsed.TotalSeconds;
    }

    private static readonly Dictionary<int, (string Stream, long Version)> Streams = new();

    private static async Task StoreAppend(PostgresEventStore store, int writer, int n, int batch)
    {
        // Each writer owns a stream and appends with the exact expected version, as a command would.
        (string Stream, long Version) state;
        lock (Streams) state = Streams.TryGetValue(writer, out var s) ? s : ($"bench-{writer}-{Guid.NewGuid():N}", 0);
        var events = Enumerable.Range(0, batch).Select(i => EventData.New(new Ping(writer, n * batch + i, "scheduled a talk"))).ToList();
        var result = await store.AppendAsync(state.Stream, "bench", ExpectedVersion.Exactly(state.Version), events);
        lock (Streams) Streams[writer] = (state.Stream, result.Version);
    }

    private static readonly Dictionary<int, long> RawVersions = new();

    private static async Task RawInsert(NpgsqlDataSource dataSource, int writer, int n, int batch)
    {
        long version;
        lock (RawVersions) version = RawVersions.GetValueOrDefault(writer);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("""
            insert into bench_raw_events (stream_id, stream_version, event_id, type, data, metadata)
            select $1, $2 + u.ord, u.id, u.t, u.d, u.m
            from unnest($3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[]) with ordinality as u(id, t, d, m, ord)
            """, connection);
        cmd.Parameters.AddWithValue($"raw-{writer}");
        cmd.Parameters.AddWithValue(version);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, batch).Select(_ => Guid.CreateVersion7()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Repeat("bench.ping", batch).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = Enumerable.Range(0, batch).Select(i => $$"""{"writer":{{writer}},"number":{{n * batch + i}},"payload":"scheduled a talk"}""").ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Repeat("{}", batch).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        await cmd.ExecuteNonQueryAsync();
        lock (RawVersions) RawVersions[writer] = version + batch;
    }
}
