using System.Text.Json;
using SeriesPlatform.Server.Tests.Integrations;

namespace SeriesPlatform.Server.Tests.Security;

/// <summary>
/// An admin key limited to one series, on the integration endpoints: the feed, the live stream and
/// webhooks show it that series only, and naming another series is a 403 (as on the admin API).
/// </summary>
public sealed class SeriesLimitedIntegrationTests(IntegrationFixture server) : IClassFixture<IntegrationFixture>, IAsyncLifetime
{
    private readonly HttpClient _admin = server.Admin();
    private Receiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await Receiver.StartAsync();
    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private async Task<HttpClient> LimitedTo(string series) =>
        server.Client((await _admin.Post("/api/keys", new { name = "limited", role = "admin", series }).Expect(201)).GetProperty("key").GetString()!);

    private static async Task<(List<JsonElement> Events, string Cursor)> Page(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/feed?" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return (JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.Clone()).ToList(), response.Headers.GetValues("Feed-Cursor").Single());
    }

    private static string Source(JsonElement e) => e.GetProperty("source").GetString()!;

    [Fact]
    public async Task The_feed_shows_a_series_limited_key_only_its_series()
    {
        var start = (await Page(_admin, "series=nothing-matches&limit=1000")).Cursor;
        var mine = await Workshop.CreateAsync(_admin);
        var other = await Workshop.CreateAsync(_admin);
        await other.Talk("Not for the limited key", "2022-12-03T09:00");
        await mine.Talk("For the limited key", "2022-12-03T09:00");
        var limited = await LimitedTo(mine.Slug);

        // Everything the admin sees of the two series, once it is readable (gap safety may hold it back a moment).
        var all = await Eventually.Until(async () => (await Page(_admin, $"after={start}&limit=1000&series={mine.Slug},{other.Slug}")).Events,
            events => events.Count == 6, "both series in the feed");
        var (seen, _) = await Page(limited, $"after={start}&limit=1000");
        Assert.Equal(all.Where(e => Source(e) == $"/api/series/{mine.Slug}").Select(e => e.GetProperty("id").GetString()),
            seen.Select(e => e.GetProperty("id").GetString()));
        Assert.NotEmpty(seen);
        Assert.All(seen, e => Assert.Equal($"/api/series/{mine.Slug}", Source(e)));
        Assert.Equal(3, (await Page(limited, $"after={start}&limit=1000&series={mine.Slug}")).Events.Count);
        Assert.Empty((await Page(limited, $"after={start}&limit=1000&edition={other.EditionId}")).Events);

        await limited.GetAsync($"/api/feed?series={other.Slug}").Expect(403, "application/problem+json");
        await limited.GetAsync($"/api/feed?series={mine.Slug},{other.Slug}").Expect(403, "application/problem+json");
        await limited.GetAsync($"/api/feed/live?series={other.Slug}").Expect(403, "application/problem+json");
    }

    [Fact]
    public async Task The_live_stream_shows_a_series_limited_key_only_its_series()
    {
        var mine = await Workshop.CreateAsync(_admin);
        var other = await Workshop.CreateAsync(_admin);
        var limited = await LimitedTo(mine.Slug);
        using var response = await limited.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/feed/live?types=talk.scheduled.v1"),
            HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await reader.ReadLineAsync(); // "retry:": the stream is open at the head

        // The other series' talk comes first in the log: an unfiltered stream would show it first.
        await other.Talk("Not for the limited key", "2022-12-03T09:00");
        await mine.Talk("For the limited key", "2022-12-03T09:00");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? data = null;
        while (data is null && await reader.ReadLineAsync(timeout.Token) is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
        var first = JsonDocument.Parse(data!).RootElement;
        Assert.Equal($"/api/series/{mine.Slug}", Source(first));
        Assert.Equal("For the limited key", first.GetProperty("data").GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_series_limited_key_creates_lists_and_manages_webhooks_of_its_series_only()
    {
        var mine = await Workshop.CreateAsync(_admin);
        var other = await Workshop.CreateAsync(_admin);
        var limited = await LimitedTo(mine.Slug);

        // Creating: another series is a 403; no series means its own.
        await limited.Post("/api/webhooks", new { url = $"{_receiver.Url}/x", series = new[] { other.Slug } }).Expect(403, "application/problem+json");
        await limited.Post("/api/webhooks", new { url = $"{_receiver.Url}/x", series = new[] { mine.Slug, other.Slug } }).Expect(403, "application/problem+json");
        var created = await limited.Post("/api/webhooks", new { url = $"{_receiver.Url}/limited", types = new[] { "talk.scheduled.v1" } }).Expect(201);
        Assert.Equal([mine.Slug], created.GetProperty("series").EnumerateArray().Select(s => s.GetString()));
        var own = created.GetProperty("id").GetString()!;

        // Subscriptions of the whole platform or of another series are not its business: not listed, 404.
        var everything = (await _admin.Post("/api/webhooks", new { url = $"{_receiver.Url}/all" }).Expect(201)).GetProperty("id").GetString()!;
        var theirs = (await _admin.Post("/api/webhooks", new { url = $"{_receiver.Url}/theirs", series = new[] { other.Slug } }).Expect(201)).GetProperty("id").GetString()!;
        var ours = (await _admin.Post("/api/webhooks", new { url = $"{_receiver.Url}/ours", series = new[] { mine.Slug } }).Expect(201)).GetProperty("id").GetString()!;
        var listed = (await limited.GetAsync("/api/webhooks").Expect(200)).EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
        Assert.Contains(own, listed);
        Assert.Contains(ours, listed);
        Assert.DoesNotContain(everything, listed);
        Assert.DoesNotContain(theirs, listed);
        foreach (var id in new[] { everything, theirs })
        {
            await limited.GetAsync($"/api/webhooks/{id}").Expect(404, "application/problem+json");
            await limited.GetAsync($"/api/webhooks/{id}/deliveries").Expect(404, "application/problem+json");
            await limited.GetAsync($"/api/webhooks/{id}/dead-letters").Expect(404, "application/problem+json");
            await limited.Post($"/api/webhooks/{id}/pause", new { }).Expect(404, "application/problem+json");
            await limited.Post($"/api/webhooks/{id}/dead-letters/{Guid.NewGuid()}/replay", new { }).Expect(404, "application/problem+json");
            await limited.Send(HttpMethod.Delete, $"/api/webhooks/{id}", null).Expect(404, "application/problem+json");
        }
        Assert.Equal("active", (await _admin.GetAsync($"/api/webhooks/{theirs}").Expect(200)).GetProperty("status").GetString());
        await limited.Post($"/api/webhooks/{ours}/pause", new { }).Expect(200);

        // Its own subscription is delivered its series' events only.
        await other.Talk("Not for the limited key", "2022-12-03T09:00");
        await mine.Talk("For the limited key", "2022-12-03T09:00");
        var hit = (await _receiver.WaitFor("/limited", 1))[0];
        Assert.Equal("For the limited key", JsonDocument.Parse(hit.Body).RootElement.GetProperty("data").GetProperty("title").GetString());
        await _receiver.WaitFor("/theirs", 1); // the other series' talk has been dispatched by now
        Assert.Single(_receiver.Hits("/limited"));
        await limited.Send(HttpMethod.Delete, $"/api/webhooks/{own}", null).Expect(204, null);
    }
}
