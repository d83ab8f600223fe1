using SeriesPlatform.Reliability.Tests.Infrastructure;
using SeriesPlatform.Testing;
using Xunit.Abstractions;

namespace SeriesPlatform.Reliability.Tests;

/// <summary>
/// kill -9 of the server while 16 clients send commands with Idempotency-Keys; the clients retry
/// what was not answered with the same key once it is back. Nothing acknowledged is lost or doubled,
/// the projections equal a fresh rebuild, and the webhook receiver got every matching event.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait("Category", "Reliability"), Trait("Scenario", "crash")]
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Kill_9_under_load_loses_and_doubles_nothing()
    {
        var db = await Scenario.CreateDatabaseAsync("crash");
        await using var server = await ServerProcess.StartAsync("reliability-crash", db, Scenario.NewAdminKey());
        using var http = server.Client(TimeSpan.FromSeconds(10));
        var (slug, editions) = await CommandClients.SetupAsync(http, 16);
        await using var receiver = new WebhookReceiver();
        await Scenario.SubscribeAsync(http, receiver.Url, slug);

        var clients = new CommandClients(() => http);
        using var stop = new CancellationTokenSource();
        var load = clients.RunAsync(editions, stop.Token, drain: TimeSpan.FromSeconds(40));

        await Eventually.Until(() => Task.FromResult(clients.Acknowledged.Count), n => n >= 150, "150 acknowledged commands before the kill", TimeSpan.FromSeconds(45));
        var killedAt = DateTime.UtcNow;
        await server.KillAsync();
        var ackedBeforeKill = clients.Acknowledged.Count;
        await server.StartAgainAsync();
        var restartTook = DateTime.UtcNow - killedAt;
        await Eventually.Until(() => Task.FromResult(clients.Acknowledged.Count), n => n >= ackedBeforeKill + 150, "150 more acknowledged commands after the restart", TimeSpan.FromSeconds(45));
        var firstAckAfter = clients.Timeline.Where(t => t.Ok && t.At > killedAt + restartTook).Select(t => t.At).DefaultIfEmpty(DateTime.UtcNow).Min();
        await stop.CancelAsync();
        await load;
        output.WriteLine(clients.Summary());

        Assert.True(clients.Unexpected.Count == 0, "unexpected answers:\n" + string.Join('\n', clients.Unexpected.Take(20)));
        var pending = clients.Commands.Where(c => !c.Acknowledged).ToList();
        Assert.True(pending.Count == 0, $"{pending.Count} command(s) never acknowledged after the restart: {string.Join(", ", pending.Take(5).Select(p => p.Key))}");

        var tally = await LogCheck.CountAsync(db, clients.Commands);
        Assert.True(tally.Problems.Count == 0, string.Join('\n', tally.Problems.Take(20)));

        var expected = await Scenario.MatchingEventIdsAsync(db);
        // A dispatcher's lease on the subscription outlives a killed process (60 s); the new process takes over when it expires.
        await Eventually.Until(() => Task.FromResult(expected.Count(id => !receiver.Received.ContainsKey(id))), n => n == 0,
            $"the webhook receiver to have all {expected.Count} matching events", TimeSpan.FromSeconds(90));
        var webhookDoneAfterKill = DateTime.UtcNow - killedAt;

        var differences = await LogCheck.VerifyAsync(db);
        Assert.True(differences.Count == 0, "verify: " + string.Join('\n', differences));

        await ReliabilityReport.WriteAsync(db, "crash", "Crash: kill -9 of the server under load", [
            ("clients", "16 (one edition each), ScheduleTalk and OpenBreakout with an Idempotency-Key, retried with the same key until answered"),
            ("requests sent (incl. retries)", clients.Requests.ToString("N0")),
            ("commands", clients.Commands.Count.ToString("N0")),
            ("acknowledged (2xx)", tally.Acknowledged.ToString("N0")),
            ("acknowledged before the kill", ackedBeforeKill.ToString("N0")),
            ("requests without an answer (connection reset or refused)", clients.Count("no-answer").ToString("N0")),
            ("found in the log", $"{tally.Found:N0} (missing {tally.Missing})"),
            ("duplicates in the log", tally.Duplicates.ToString()),
            ("server restart until ready", ReliabilityReport.Ms(restartTook)),
            ("kill until the first acknowledged command", ReliabilityReport.Ms(firstAckAfter - killedAt)),
            ("matching events / delivered to the webhook receiver (distinct) / deliveries", $"{expected.Count:N0} / {expected.Count(receiver.Received.ContainsKey):N0} / {receiver.Deliveries:N0}"),
            ("kill until the webhook receiver had every matching event", ReliabilityReport.Ms(webhookDoneAfterKill)),
            ("series verify (streams, snapshots, catalog, projections vs rebuild)", "no differences"),
        ]);
    }
}
