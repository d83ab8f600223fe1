using System.Text.Json;
using SeriesPlatform.Reliability.Tests.Infrastructure;
using SeriesPlatform.Testing;
using Xunit.Abstractions;

namespace SeriesPlatform.Reliability.Tests;

/// <summary>
/// Two server processes on one database; the one leading the projections is killed (SIGKILL)
/// while commands keep coming through the other, which takes every projection over within 10 s;
/// the read models end identical to a fresh rebuild.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Category", "Reliability"), Trait("Scenario", "failover")]
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TakeoverBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_other_process_takes_the_projections_over_within_10_s()
    {
        var db = await Scenario.CreateDatabaseAsync("failover");
        var key = Scenario.NewAdminKey();
        await using var a = await ServerProcess.StartAsync("reliability-a", db, key);
        await using var b = await ServerProcess.StartAsync("reliability-b", db, key);
        using var httpA = a.Client(TimeSpan.FromSeconds(10));
        using var httpB = b.Client(TimeSpan.FromSeconds(10));

        // Every projection has exactly one leader among the two.
        var (ledByA, ledByB, projections) = await Eventually.Until(async () =>
        {
            var la = Leading(await Scenario.ReadyAsync(httpA));
            var lb = Leading(await Scenario.ReadyAsync(httpB));
            return (la, lb, la.Count + lb.Count);
        }, x => x.Item3 > 0 && x.la.Concat(x.lb).Distinct().Count() == x.Item3 && x.Item3 == ProjectionCount, "a leader for every projection", TimeSpan.FromSeconds(30));
        var (victim, survivor, survivorHttp) = ledByA.Count >= ledByB.Count ? (a, b, httpB) : (b, a, httpA);
        var ledByVictim = victim == a ? ledByA : ledByB;
        output.WriteLine($"{a.Name} leads [{string.Join(", ", ledByA)}], {b.Name} leads [{string.Join(", ", ledByB)}]; killing {victim.Name}");

        var (_, editions) = await CommandClients.SetupAsync(survivorHttp, 16);
        var clients = new CommandClients(() => survivorHttp);
        using var stop = new CancellationTokenSource();
        var load = clients.RunAsync(editions, stop.Token, drain: TimeSpan.FromSeconds(30));
        await Eventually.Until(() => Task.FromResult(clients.Acknowledged.Count), n => n >= 100, "100 acknowledged commands before the kill", TimeSpan.FromSeconds(45));

        await victim.KillAsync();
        var takeover = await Eventually.Time(async () => Leading(await Scenario.ReadyAsync(survivorHttp)).Count == ProjectionCount,
            $"{survivor.Name} to lead every projection", TimeSpan.FromSeconds(30), survivor.Output);
        var acked = clients.Acknowledged.Count;
        await Eventually.Until(() => Task.FromResult(clients.Acknowledged.Count), n => n >= acked + 100, "100 more acknowledged commands after the takeover", TimeSpan.FromSeconds(45));
        await stop.CancelAsync();
        await load;
        output.WriteLine(clients.Summary());

        // The survivor's projections reach the head of the log (checked through its own health report).
        var caughtUp = await Eventually.Time(async () =>
                (await Scenario.ReadyAsync(survivorHttp)).GetProperty("projections").EnumerateArray().All(p => p.GetProperty("eventsBehind").GetInt64() == 0),
            "the survivor's projections at the head of the log", TimeSpan.FromSeconds(60), survivor.Output);

        Assert.True(clients.Unexpected.Count == 0, "unexpected answers:\n" + string.Join('\n', clients.Unexpected.Take(20)));
        Assert.True(takeover <= TakeoverBound, $"the takeover took {takeover.TotalSeconds:0.0} s (bound {TakeoverBound.TotalSeconds} s)");
        var tally = await LogCheck.CountAsync(db, clients.Commands);
        Assert.True(tally.Problems.Count == 0, string.Join('\n', tally.Problems.Take(20)));
        var differences = await LogCheck.VerifyAsync(db);
        Assert.True(differences.Count == 0, "verify: " + string.Join('\n', differences));

        await ReliabilityReport.WriteAsync(db, "failover", "Failover: the process leading the projections is killed", [
            ("processes", $"2 on one database; the killed one led {ledByVictim.Count} of {ProjectionCount} projections ({string.Join(", ", ledByVictim)})"),
            ("load", "16 clients through the surviving process, ScheduleTalk and OpenBreakout with Idempotency-Keys"),
            ("requests sent / acknowledged / found in the log / duplicates", $"{clients.Requests:N0} / {tally.Acknowledged:N0} / {tally.Found:N0} / {tally.Duplicates}"),
            ("answers", string.Join(", ", clients.Answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value:N0}"))),
            ("kill until the survivor leads every projection", $"{ReliabilityReport.Ms(takeover)} (bound {TakeoverBound.TotalSeconds:0} s)"),
            ("end of the load until the survivor's projections are at the head", ReliabilityReport.Ms(caughtUp)),
            ("read models vs a fresh rebuild (series verify)", "identical"),
        ]);
    }

    private const int ProjectionCount = 3;

    private static List<string> Leading(JsonElement ready) => ready.TryGetProperty("projections", out var ps)
        ? ps.EnumerateArray().Where(p => p.GetProperty("leaderHere").GetBoolean()).Select(p => p.GetProperty("projection").GetString()!).ToList()
        : [];
}
