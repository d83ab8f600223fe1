using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SeriesPlatform.Reliability.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SeriesPlatform.Reliability.Tests;

/// <summary>
/// A transaction left open inside the database (it holds a transaction id) while commands commit
/// after it: the feed and the projections pause instead of skipping, /health/ready shows the lag
/// and a warning naming the blocking session (pid, application_name, xact_start); when the
/// transaction ends they resume and every event arrives exactly once, in order.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Category", "Reliability"), Trait("Scenario", "stalled")]
public sealed class StalledTransactionTests(ITestOutputHelper output)
{
    private const int HeldBack = 60;

    [Fact]
    public async Task An_open_transaction_pauses_the_feed_and_projections_and_they_resume_when_it_ends()
    {
        var db = await Scenario.CreateDatabaseAsync("stalled");
        await using var server = await ServerProcess.StartAsync("reliability-stalled", db, Scenario.NewAdminKey());
        using var http = server.Client(TimeSpan.FromSeconds(10));
        var (_, editions) = await CommandClients.SetupAsync(http, 4);
        await Eventually.Until(() => Scenario.ReadyAsync(http), r => MaxBehind(r) == 0, "projections at the head before the stall", TimeSpan.FromSeconds(30));
        var (_, cursor) = await ReadFeedAsync(http, "0-0");

        // The blocker: a session that took a transaction id and then does nothing.
        await using var blocker = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db) { ApplicationName = "reliability-blocker" }.ConnectionString);
        await blocker.OpenAsync();
        var blockerTx = await blocker.BeginTransactionAsync();
        int blockerPid;
        await using (var cmd = new NpgsqlCommand("select pg_current_xact_id(), pg_backend_pid()", blocker, blockerTx))
        await using (var reader = await cmd.ExecuteReaderAsync()) { await reader.ReadAsync(); blockerPid = reader.GetInt32(1); }
        var blockedAt = DateTime.UtcNow;

        var titles = new List<string>();
        for (var i = 0; i < HeldBack; i++)
        {
            var title = $"held back {i}";
            titles.Add(title);
            await CommandClients.Ok(await http.PostAsJsonAsync($"/api/editions/{editions[i % editions.Count]}/talks", new
            {
                title, speakers = new[] { new { name = "Speaker " + i } }, start = "2030-06-04T09:15", durationMinutes = 30, room = "room " + i,
            }));
        }

        // Health names the blocker and shows the lag; the feed gives none of the held-back events.
        var ready = await Eventually.Until(() => Scenario.ReadyAsync(http),
            r => r.TryGetProperty("blockingSession", out var b) && b.ValueKind == JsonValueKind.Object && MaxBehind(r) >= HeldBack,
            "a blocking-session warning and a lag in /health/ready", TimeSpan.FromSeconds(30), server.Output);
        var blocking = ready.GetProperty("blockingSession");
        output.WriteLine(ready.ToString());
        Assert.Equal(blockerPid, blocking.GetProperty("pid").GetInt32());
        Assert.Equal("reliability-blocker", blocking.GetProperty("applicationName").GetString());
        Assert.True(blocking.TryGetProperty("xactStart", out _), "xactStart missing");
        Assert.Contains(ready.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains($"pid {blockerPid}"));
        Assert.Equal(200, (int)(await http.GetAsync("/health/ready")).StatusCode); // lagging is not unready
        // Watch the feed for a 5 s window of the stall: it must stay paused before the held-back events.
        List<string> duringStall;
        var feedReads = 0;
        do
        {
            (duringStall, _) = await ReadFeedAsync(http, cursor);
            feedReads++;
            Assert.True(duringStall.Count(titles.Contains) == 0, $"the feed skipped past the open transaction: {duringStall.Count(titles.Contains)} held-back events visible");
            await Task.Delay(250);
        } while (DateTime.UtcNow - blockedAt < TimeSpan.FromSeconds(5));
        var lagDuringStall = MaxBehind(ready);

        await blockerTx.RollbackAsync();
        var releasedAt = DateTime.UtcNow;
        var feedResumed = await Eventually.Time(async () => (await ReadFeedAsync(http, cursor)).Titles.Count(titles.Contains) == HeldBack,
            "the feed to deliver every held-back event", TimeSpan.FromSeconds(30));
        var projectionsResumed = await Eventually.Time(async () =>
            {
                var r = await Scenario.ReadyAsync(http);
                return MaxBehind(r) == 0 && (!r.TryGetProperty("blockingSession", out var b) || b.ValueKind == JsonValueKind.Null);
            }, "projections at the head and no warning", TimeSpan.FromSeconds(30), server.Output);

        var (all, _) = await ReadFeedAsync(http, "0-0");
        var duplicates = all.GroupBy(t => t).Count(g => g.Count() > 1);
        Assert.True(duplicates == 0, $"{duplicates} titles twice in the feed");
        Assert.Equal(titles, all.Where(titles.Contains).ToList()); // each once, in commit order
        var differences = await LogCheck.VerifyAsync(db);
        Assert.True(differences.Count == 0, "verify: " + string.Join('\n', differences));

        await ReliabilityReport.WriteAsync(db, "stalled", "Stalled transaction: an open transaction holds back the readers", [
            ("held back", $"{HeldBack} ScheduleTalk commands acknowledged after a session took a transaction id and stayed open"),
            ("feed during the stall", $"{feedReads} reads over the stall: 0 of {HeldBack} held-back events visible (none skipped past)"),
            ("projection lag shown in /health/ready", $"{lagDuringStall} events behind; warning: {ready.GetProperty("warnings")[0].GetString()}"),
            ("stall length", ReliabilityReport.Ms(releasedAt - blockedAt)),
            ("transaction ended until the feed had every held-back event", ReliabilityReport.Ms(feedResumed)),
            ("transaction ended until every projection was at the head, warning gone", ReliabilityReport.Ms(projectionsResumed + feedResumed)),
            ("feed from the start", $"{all.Count} events, every held-back event exactly once and in order; series verify: no differences"),
        ]);
    }

    private static long MaxBehind(JsonElement ready) => ready.TryGetProperty("projections", out var ps)
        ? ps.EnumerateArray().Select(p => p.GetProperty("eventsBehind").GetInt64()).DefaultIfEmpty(0).Max()
        : long.MaxValue;

    /// <summary>Every feed page after a cursor: the talk titles (other events as "") and the cursor at the end.</summary>
    private static async Task<(List<string> Titles, string Cursor)> ReadFeedAsync(HttpClient http, string after)
    {
        var titles = new List<string>();
        while (true)
        {
            using var response = await http.GetAsync($"/api/feed?after={after}&limit=1000");
            await CommandClients.Ok(response);
            var next = response.Headers.GetValues("Feed-Cursor").Single();
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            foreach (var e in page.EnumerateArray())
                titles.Add(e.GetProperty("data").TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "");
            if (page.GetArrayLength() == 0 || next == after) return (titles, next);
            after = next;
        }
    }
}
