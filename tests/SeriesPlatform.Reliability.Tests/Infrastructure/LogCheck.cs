using Npgsql;
using SeriesPlatform.EventStore;
using SeriesPlatform.EventStore.Projections;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.History;
using SeriesPlatform.Server.Infrastructure;
using SeriesPlatform.Server.Operations;

namespace SeriesPlatform.Reliability.Tests.Infrastructure;

/// <summary>What the log says about the commands the clients sent, and the platform's own verification.</summary>
public static class LogCheck
{
    public sealed record Tally(int Acknowledged, int Found, int Missing, int Duplicates, int FoundUnacknowledged, IReadOnlyList<string> Problems);

    /// <summary>How many talk.scheduled / breakout.opened events carry each command's unique title or topic.</summary>
    public static async Task<Tally> CountAsync(string connectionString, IReadOnlyList<SentCommand> commands)
    {
        var counts = new Dictionary<string, int>();
        await using (var db = NpgsqlDataSource.Create(connectionString))
        await using (var cmd = db.CreateCommand("""
            select coalesce(data->>'title', data->>'topic'), count(*)::int from events
            where type in ('talk.scheduled', 'breakout.opened') group by 1
            """))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) if (!reader.IsDBNull(0)) counts[reader.GetString(0)] = reader.GetInt32(1);

        var problems = new List<string>();
        int found = 0, missing = 0, duplicates = 0, foundUnacknowledged = 0;
        foreach (var c in commands)
        {
            var n = counts.GetValueOrDefault(c.Unique);
            if (c.Acknowledged)
            {
                if (n >= 1) found++;
                if (n == 0) { missing++; problems.Add($"acknowledged {c.Kind} '{c.Unique}' (key {c.Key}) is not in the log"); }
            }
            else if (n > 0) foundUnacknowledged++;
            if (n > 1) { duplicates += n - 1; problems.Add($"{c.Kind} '{c.Unique}' (key {c.Key}, {c.Attempts} attempts) is in the log {n} times"); }
        }
        return new Tally(commands.Count(c => c.Acknowledged), found, missing, duplicates, foundUnacknowledged, problems);
    }

    /// <summary>
    /// `series verify` in process: every stream re-folded equals its snapshot and catalog row, the
    /// invariants hold, and every projection equals a fresh rebuild. Run on a quiet log.
    /// </summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(string connectionString)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var notifications = new EventNotifications(db);
        var store = new PostgresEventStore(db, Setup.EventTypes(), notifications);
        await using var commits = new CommitQueue(store);
        var verifier = new Verifier(store, new CommandHandler(store, commits, TimeProvider.System));
        var differences = new List<string>(await verifier.VerifyStreamsAsync());
        await using var daemon = new ProjectionDaemon(store, HistorySetup.Projections());
        await daemon.StartAsync();
        differences.AddRange(await verifier.VerifyProjectionsAsync(daemon, TimeSpan.FromSeconds(90)));
        return differences;
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var cmd = db.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
