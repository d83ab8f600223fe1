using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SeriesPlatform.Server.Webhooks;

namespace SeriesPlatform.Server.Tests.Integrations;

public sealed class WebhookTests(IntegrationFixture server) : IClassFixture<IntegrationFixture>, IAsyncLifetime
{
    private readonly HttpClient _admin = server.Admin();
    private Receiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await Receiver.StartAsync();
    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    internal static async Task<(string Id, string Secret)> Subscribe(HttpClient client, string url, string series, string[]? types = null)
    {
        var created = await client.Post("/api/webhooks", new { url, series = new[] { series }, types }).Expect(201);
        return (created.GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
    }

    /// <summary>Standard Webhooks verification, written independently of the server's signer.</summary>
    internal static void AssertSigned(string secret, Receiver.Hit hit)
    {
        Assert.StartsWith("whsec_", secret);
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{hit.Headers["webhook-id"]}.{hit.Headers["webhook-timestamp"]}.{hit.Body}");
        Assert.Equal("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed)), hit.Headers["webhook-signature"]);
        var sent = DateTimeOffset.FromUnixTimeSeconds(long.Parse(hit.Headers["webhook-timestamp"]));
        Assert.True((DateTimeOffset.UtcNow - sent).Duration() < TimeSpan.FromMinutes(5));
    }

    private static JsonElement Event(Receiver.Hit hit) => JsonDocument.Parse(hit.Body).RootElement;
    private static string? Title(Receiver.Hit hit) => Event(hit).GetProperty("data").GetProperty("title").GetString();

    private async Task<List<JsonElement>> Deliveries(string id) =>
        (await _admin.GetAsync($"/api/webhooks/{id}/deliveries").Expect(200)).EnumerateArray().Reverse().ToList();

    [Fact]
    public async Task Events_are_delivered_signed_in_log_order_with_the_event_id_as_webhook_id()
    {
        var w = await Workshop.CreateAsync(_admin);
        var (id, secret) = await Subscribe(_admin, $"{_receiver.Url}/ordered", w.Slug, ["talk.scheduled.v1"]);
        for (var i = 0; i < 5; i++) await w.Talk($"Talk {i}", $"2022-12-03T{9 + i:00}:00");

        var hits = await _receiver.WaitFor("/ordered", 5);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"Talk {i}"), hits.Select(Title));
        foreach (var hit in hits)
        {
            AssertSigned(secret, hit);
            Assert.Equal(Event(hit).GetProperty("id").GetString(), hit.Headers["webhook-id"]);
            Assert.StartsWith("application/cloudevents+json", hit.Headers["content-type"]);
        }

        var list = await _admin.GetAsync("/api/webhooks").Expect(200);
        var mine = list.EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);
        Assert.False(mine.TryGetProperty("secret", out _));
        Assert.DoesNotContain(secret, list.GetRawText());
        var history = await Eventually.Until(() => Deliveries(id), d => d.Count == 5, "five recorded deliveries");
        Assert.All(history, d => Assert.Equal("delivered", d.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Failures_are_retried_with_the_same_webhook_id_and_retry_after_is_honoured()
    {
        var w = await Workshop.CreateAsync(_admin);
        _receiver.Respond = (path, n, http) =>
        {
            if (path != "/flaky") return Task.CompletedTask;
            if (n == 1) { http.Response.StatusCode = 429; http.Response.Headers.RetryAfter = "1"; }
            else if (n == 2) http.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        var (id, _) = await Subscribe(_admin, $"{_receiver.Url}/flaky", w.Slug, ["talk.scheduled.v1"]);
        await w.Talk("Retried", "2022-12-03T09:00");

        var hits = await _receiver.WaitFor("/flaky", 3);
        Assert.Single(hits.Select(h => h.Headers["webhook-id"]).Distinct());
        Assert.True(hits[1].At - hits[0].At >= TimeSpan.FromMilliseconds(900), $"Retry-After: 1 was not honoured ({hits[1].At - hits[0].At})");
        var history = await Eventually.Until(() => Deliveries(id), d => d.Count == 3, "three recorded attempts");
        Assert.Equal(["failed", "failed", "delivered"], history.Select(d => d.GetProperty("outcome").GetString()));
        Assert.Equal([429, 503, 200], history.Select(d => d.GetProperty("httpStatus").GetInt32()));
        Assert.Equal([1, 2, 3], history.Select(d => d.GetProperty("attempt").GetInt32()));
    }

    [Fact]
    public async Task A_timeout_is_a_failed_attempt_that_is_retried()
    {
        var w = await Workshop.CreateAsync(_admin);
        _receiver.Respond = async (path, n, http) =>
        {
            if (path == "/slow" && n == 1) await Task.Delay(TimeSpan.FromSeconds(5), http.RequestAborted).ContinueWith(_ => { });
        };
        var (id, _) = await Subscribe(_admin, $"{_receiver.Url}/slow", w.Slug, ["talk.scheduled.v1"]);
        await w.Talk("Slow receiver", "2022-12-03T09:00");
        await _receiver.WaitFor("/slow", 2);
        var history = await Eventually.Until(() => Deliveries(id), d => d.Count == 2, "two recorded attempts");
        Assert.Contains("timed out", history[0].GetProperty("error").GetString());
        Assert.Equal("delivered", history[1].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task After_the_last_attempt_an_event_is_dead_lettered_the_next_is_delivered_and_an_admin_can_replay_it()
    {
        var w = await Workshop.CreateAsync(_admin);
        var receiverDown = true;
        _receiver.Respond = (path, n, http) =>
        {
            if (path == "/dead" && receiverDown && Title(_receiver.Hits(path)[^1]) == "Doomed") http.Response.StatusCode = 500;
            return Task.CompletedTask;
        };
        var integrationKey = await server.NewKey("integration");
        var owner = server.Client(integrationKey);
        var (id, _) = await Subscribe(owner, $"{_receiver.Url}/dead", w.Slug, ["talk.scheduled.v1"]);
        await w.Talk("Doomed", "2022-12-03T09:00");
        var feed = await _admin.GetAsync($"/api/feed?series={w.Slug}&types=talk.scheduled.v1&wait=10").Expect(200, "application/cloudevents-batch+json");
        var doomed = feed[0].GetProperty("id").GetString();

        var letters = await Eventually.Until(async () => (await owner.GetAsync($"/api/webhooks/{id}/dead-letters").Expect(200)).EnumerateArray().ToList(),
            l => l.Count == 1, "a dead letter");
        Assert.Equal(3, letters[0].GetProperty("attempts").GetInt32());
        Assert.Equal(500, letters[0].GetProperty("lastStatus").GetInt32());
        Assert.Equal(doomed, letters[0].GetProperty("eventId").GetString());

        await w.Talk("After the dead letter", "2022-12-03T10:00");
        var hits = await _receiver.WaitFor("/dead", 4);
        Assert.Equal("After the dead letter", Title(hits[3]));

        var replay = $"/api/webhooks/{id}/dead-letters/{letters[0].GetProperty("id").GetString()}/replay";
        await owner.Post(replay, new { }).Expect(403, null); // only admins replay
        receiverDown = false;
        var result = await _admin.Post(replay, new { }).Expect(200);
        Assert.True(result.GetProperty("delivered").GetBoolean());
        var replayed = _receiver.Hits("/dead")[^1];
        Assert.Equal(doomed, replayed.Headers["webhook-id"]);
        Assert.Equal("Doomed", Title(replayed));
        var after = await owner.GetAsync($"/api/webhooks/{id}/dead-letters").Expect(200);
        Assert.NotEqual(JsonValueKind.Null, after[0].GetProperty("replayedAt").ValueKind);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(422)]
    [InlineData(301)]
    public async Task A_refusal_that_a_retry_cannot_change_is_dead_lettered_at_once_and_the_next_event_follows(int status)
    {
        var w = await Workshop.CreateAsync(_admin);
        var path = $"/refuses-{status}";
        _receiver.Respond = (p, n, http) =>
        {
            if (p == path && Title(_receiver.Hits(p)[^1]) == "Refused") http.Response.StatusCode = status;
            return Task.CompletedTask;
        };
        var (id, _) = await Subscribe(_admin, $"{_receiver.Url}{path}", w.Slug, ["talk.scheduled.v1"]);
        await w.Talk("Refused", "2022-12-03T09:00");
        await w.Talk("Accepted", "2022-12-03T10:00");

        var hits = await _receiver.WaitFor(path, 2);
        Assert.Equal(["Refused", "Accepted"], hits.Select(Title)); // one attempt, no retry
        var history = await Eventually.Until(() => Deliveries(id), d => d.Count == 2, "two recorded deliveries");
        Assert.Equal(["dead-lettered", "delivered"], history.Select(d => d.GetProperty("outcome").GetString()));
        Assert.Equal(status, history[0].GetProperty("httpStatus").GetInt32());
        var letter = Assert.Single((await _admin.GetAsync($"/api/webhooks/{id}/dead-letters").Expect(200)).EnumerateArray());
        Assert.Equal(1, letter.GetProperty("attempts").GetInt32());
        Assert.Equal(status, letter.GetProperty("lastStatus").GetInt32());

        // Replayable once the receiver is fixed.
        _receiver.Respond = null;
        var replayed = await _admin.Post($"/api/webhooks/{id}/dead-letters/{letter.GetProperty("id").GetString()}/replay", new { }).Expect(200);
        Assert.True(replayed.GetProperty("delivered").GetBoolean());
        Assert.Equal("Refused", Title(_receiver.Hits(path)[^1]));
        Assert.Equal(3, _receiver.Hits(path).Count);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    public async Task Busy_or_failing_receivers_are_retried(int status)
    {
        var w = await Workshop.CreateAsync(_admin);
        var path = $"/busy-{status}";
        _receiver.Respond = (p, n, http) => { if (p == path && n == 1) http.Response.StatusCode = status; return Task.CompletedTask; };
        var (id, _) = await Subscribe(_admin, $"{_receiver.Url}{path}", w.Slug, ["talk.scheduled.v1"]);
        await w.Talk("Busy", "2022-12-03T09:00");
        var hits = await _receiver.WaitFor(path, 2);
        Assert.Single(hits.Select(h => h.Headers["webhook-id"]).Distinct());
        var history = await Eventually.Until(() => Deliveries(id), d => d.Count == 2, "two recorded attempts");
        Assert.Equal(["failed", "delivered"], history.Select(d => d.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task A_410_disables_the_subscription()
    {
        var w = await Workshop.CreateAsync(_admin);
        _receiver.Respond = (path, n, http) => { if (path == "/gone") http.Response.StatusCode = 410; return Task.CompletedTask; };
        var (id, _) = await Subscribe(_admin, $"{_receiver.Url}/gone", w.Slug, ["talk.scheduled.v1"]);
        await w.Talk("Nobody wants this", "2022-12-03T09:00");
        var view = await Eventually.Until(() => _admin.GetAsync($"/api/webhooks/{id}").Expect(200), v => v.GetProperty("status").GetString() == "disabled", "the subscription to be disabled");
        Assert.Contains("410", view.GetProperty("statusReason").GetString());
        Assert.Equal("gone", (await Deliveries(id)).Single().GetProperty("outcome").GetString());
        Assert.Single(_receiver.Hits("/gone"));
    }

    [Fact]
    public async Task A_paused_subscription_holds_its_events_until_it_is_resumed()
    {
        var w = await Workshop.CreateAsync(_admin);
        var (paused, _) = await Subscribe(_admin, $"{_receiver.Url}/paused", w.Slug, ["talk.scheduled.v1"]);
        await Subscribe(_admin, $"{_receiver.Url}/control", w.Slug, ["talk.scheduled.v1"]);
        await _admin.Post($"/api/webhooks/{paused}/pause", new { }).Expect(200);
        await w.Talk("Held back", "2022-12-03T09:00");
        await _receiver.WaitFor("/control", 1); // the dispatcher has been round: the paused one was skipped
        Assert.Empty(_receiver.Hits("/paused"));
        Assert.Equal("paused", (await _admin.GetAsync($"/api/webhooks/{paused}").Expect(200)).GetProperty("status").GetString());

        await _admin.Post($"/api/webhooks/{paused}/resume", new { }).Expect(200);
        Assert.Equal("Held back", Title((await _receiver.WaitFor("/paused", 1))[0]));
    }

    [Fact]
    public async Task Integration_keys_manage_only_their_own_subscriptions()
    {
        var w = await Workshop.CreateAsync(_admin);
        var alice = server.Client(await server.NewKey("integration"));
        var bob = server.Client(await server.NewKey("integration"));
        var (id, _) = await Subscribe(alice, $"{_receiver.Url}/alice", w.Slug, ["talk.scheduled.v1"]);

        Assert.Contains(id, (await alice.GetAsync("/api/webhooks").Expect(200)).GetRawText());
        Assert.DoesNotContain(id, (await bob.GetAsync("/api/webhooks").Expect(200)).GetRawText());
        Assert.Contains(id, (await _admin.GetAsync("/api/webhooks").Expect(200)).GetRawText());
        await bob.GetAsync($"/api/webhooks/{id}").Expect(404, "application/problem+json");
        await bob.Post($"/api/webhooks/{id}/pause", new { }).Expect(404, "application/problem+json");
        await bob.Send(HttpMethod.Delete, $"/api/webhooks/{id}", null).Expect(404, "application/problem+json");
        await server.Client(await server.NewKey("historian")).GetAsync("/api/webhooks").Expect(403, null);

        await alice.Send(HttpMethod.Delete, $"/api/webhooks/{id}", null).Expect(204, null);
        await alice.GetAsync($"/api/webhooks/{id}").Expect(404, "application/problem+json");
    }

    [Theory]
    [InlineData("http://127.0.0.2/hook")]        // http, and not allow-listed
    [InlineData("https://127.0.0.2/hook")]       // loopback
    [InlineData("https://10.0.0.1/hook")]        // private
    [InlineData("https://192.168.1.20/hook")]    // private
    [InlineData("https://172.20.0.5/hook")]      // private
    [InlineData("https://169.254.169.254/latest/meta-data")] // link-local: cloud metadata
    [InlineData("https://[::1]/hook")]           // IPv6 loopback
    [InlineData("https://[fd00::1]/hook")]       // IPv6 unique local
    [InlineData("https://[::ffff:10.0.0.1]/hook")] // IPv4-mapped private
    [InlineData("https://localhost/hook")]       // resolves to loopback
    [InlineData("http://localhost:8080/hook")]   // http, not allow-listed
    [InlineData("ftp://example.org/hook")]
    [InlineData("https://user:pw@127.0.0.1/hook")]
    [InlineData("not a url")]
    public async Task Targets_that_could_reach_inside_are_refused_without_connecting(string url)
    {
        var problem = await _admin.Post("/api/webhooks", new { url }).Expect(400, "application/problem+json");
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _));
    }

    [Fact]
    public async Task Bad_subscription_input_is_a_400_problem()
    {
        await _admin.Post("/api/webhooks", new { url = $"{_receiver.Url}/x", types = new[] { "talk.exploded.v1" } }).Expect(400, "application/problem+json");
        await _admin.Post("/api/webhooks", new { url = $"{_receiver.Url}/x", after = "garbage" }).Expect(400, "application/problem+json");
        await _admin.Post("/api/webhooks", "{ not json").Expect(400, "application/problem+json");
        await _admin.Post($"/api/webhooks/{Guid.NewGuid()}/pause", new { }).Expect(404, "application/problem+json");
        await _admin.GetAsync($"/api/webhooks/{Guid.NewGuid()}/deliveries?limit=0").Expect(400, "application/problem+json");
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("100.64.1.1", false)]
    [InlineData("172.15.0.1", true)]
    [InlineData("172.16.0.1", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::", false)]
    [InlineData("64:ff9b::a00:1", false)]
    public void Address_rules(string address, bool isPublic) => Assert.Equal(isPublic, TargetRules.IsPublic(IPAddress.Parse(address)));
}
