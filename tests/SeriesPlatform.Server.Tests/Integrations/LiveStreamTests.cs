using System.Text.Json;

namespace SeriesPlatform.Server.Tests.Integrations;

public sealed class LiveStreamTests(IntegrationFixture server) : IClassFixture<IntegrationFixture>
{
    private readonly HttpClient _admin = server.Admin();

    private sealed record Message(string? Id, string? Event, string? Data, string? Comment);

    /// <summary>An open SSE connection, read message by message.</summary>
    private sealed class Connection(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public HttpResponseMessage Response => response;

        public static async Task<Connection> OpenAsync(HttpClient client, string query, string? lastEventId = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/feed/live?" + query);
            if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return new Connection(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        }

        public async Task<Message> NextAsync(double seconds = 20)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            string? id = null, type = null, data = null, comment = null;
            while (true)
            {
                var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException();
                if (line.Length == 0)
                {
                    if (id is not null || data is not null || comment is not null) return new Message(id, type, data, comment);
                    continue;
                }
                if (line.StartsWith(':')) comment = line[1..].Trim();
                else if (line.StartsWith("id: ")) id = line[4..];
                else if (line.StartsWith("event: ")) type = line[7..];
                else if (line.StartsWith("data: ")) data = line[6..];
            }
        }

        public async Task<Message> NextEventAsync()
        {
            while (true) if (await NextAsync() is { Data: not null } m) return m;
        }

        public void Dispose() { reader.Dispose(); response.Dispose(); }
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_stream_resumes_with_last_event_id_without_loss_or_duplicates()
    {
        var w = await Workshop.CreateAsync(_admin);
        var seen = new List<Message>();
        using (var first = await Connection.OpenAsync(_admin, $"series={w.Slug}&types=talk.scheduled.v1"))
        {
            Assert.Equal("text/event-stream", first.Response.Content.Headers.ContentType?.MediaType);
            for (var i = 0; i < 6; i++) await w.Talk($"Talk {i}", $"2022-12-03T{9 + i:00}:00");
            for (var i = 0; i < 3; i++) seen.Add(await first.NextEventAsync());
        } // disconnect with three events unread

        for (var i = 6; i < 9; i++) await w.Talk($"Talk {i}", $"2022-12-03T{9 + i:00}:00");
        using (var second = await Connection.OpenAsync(_admin, $"series={w.Slug}&types=talk.scheduled.v1", lastEventId: seen[^1].Id))
            for (var i = 3; i < 9; i++) seen.Add(await second.NextEventAsync());

        var titles = seen.Select(m => JsonDocument.Parse(m.Data!).RootElement.GetProperty("data").GetProperty("title").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, 9).Select(i => $"Talk {i}"), titles);
        foreach (var m in seen)
        {
            var cloudEvent = JsonDocument.Parse(m.Data!).RootElement;
            Assert.Equal("org.seriesplatform.talk.scheduled.v1", m.Event);
            Assert.Equal(cloudEvent.GetProperty("cursor").GetString(), m.Id);
        }
        Assert.Equal(9, seen.Select(m => m.Id).Distinct().Count());

        // ?after= resumes the same way (for clients that cannot set headers).
        using var third = await Connection.OpenAsync(_admin, $"series={w.Slug}&after={seen[6].Id}");
        Assert.Equal(seen[7].Id, (await third.NextEventAsync()).Id);
    }

    [Fact]
    public async Task An_idle_stream_sends_heartbeats()
    {
        using var idle = await Connection.OpenAsync(_admin, "series=nothing-ever-matches");
        var beat = await Eventually.Until(() => idle.NextAsync(), m => m.Comment == "heartbeat", "a heartbeat comment");
        Assert.Null(beat.Data);
    }

    [Fact]
    public async Task A_bad_last_event_id_is_a_400_problem()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/feed/live");
        request.Headers.Add("Last-Event-ID", "not-a-cursor");
        await _admin.SendAsync(request).Expect(400, "application/problem+json");
        await _admin.GetAsync("/api/feed/live?types=nope").Expect(400, "application/problem+json");
    }
}
