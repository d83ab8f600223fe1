using System.Net.Http.Json;
using System.Text.Json;

namespace SeriesPlatform.Reliability.Tests.Infrastructure;

/// <summary>The scenarios run one at a time: they stop PostgreSQL, kill servers and load the machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityCollection
{
    public const string Name = "reliability";
}

public static class Scenario
{
    /// <summary>
    /// A fresh database on this process's cluster, with synchronous_commit back on: the test cluster
    /// turns it off for speed, and then an acknowledged commit can vanish when PostgreSQL is stopped
    /// with -m immediate (found by the outage scenario). Production keeps the default (on).
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        var cs = await SeriesPlatform.Testing.TestPostgres.CreateDatabaseAsync(name);
        await using var db = Npgsql.NpgsqlDataSource.Create(cs);
        await using var cmd = db.CreateCommand("do $$ begin execute format('alter database %I set synchronous_commit = on', current_database()); end $$");
        await cmd.ExecuteNonQueryAsync();
        return cs;
    }

    public static string NewAdminKey() => "sp_rel_" + Guid.NewGuid().ToString("N");

    public static async Task<JsonElement> ReadyAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/health/ready");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task SubscribeAsync(HttpClient http, string url, string slug)
    {
        await CommandClients.Ok(await http.PostAsJsonAsync("/api/webhooks",
            new { url, types = new[] { "talk.scheduled.v1", "breakout.opened.v1" }, series = new[] { slug }, after = "0-0" }));
    }

    public static async Task<IReadOnlyList<Guid>> MatchingEventIdsAsync(string connectionString)
    {
        var ids = new List<Guid>();
        await using var db = Npgsql.NpgsqlDataSource.Create(connectionString);
        await using var cmd = db.CreateCommand("select event_id from events where type in ('talk.scheduled', 'breakout.opened') order by position");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }
}
