using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SeriesPlatform.EventStore;

namespace SeriesPlatform.Server.Tests.Integrations;

public sealed class FeedTests(IntegrationFixture server) : IClassFixture<IntegrationFixture>
{
    private readonly HttpClient _admin = server.Admin();

    private async Task<(List<JsonElement> Events, string Cursor)> Page(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/feed?" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal("application/cloudevents-batch+json", response.Content.Headers.ContentType?.MediaType);
        var cursor = response.Headers.GetValues("Feed-Cursor").Single();
        return (JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.Clone()).ToList(), cursor);
    }

    // The head as readable now. Events committed just before may still be held back by another
    // process's open transaction (gap safety), so tests filter on what they wrote themselves.
    private async Task<string> Head() => (await Page(_admin, "series=nothing-matches-this&limit=1000")).Cursor;

    [Fact]
    public async Task Pages_are_cloudevents_in_log_order_that_resume_from_the_cursor_without_personal_data()
    {
        var start = await Head();
        var w = await Workshop.CreateAsync(_admin, capacity: 1, meetingUrl: "https://zoom.example/j/secret-meeting-42");
        var talk = await w.Talk("Symmetries in jet physics", "2022-12-03T09:00");
        await _admin.Put($"/api/editions/{w.EditionId}/talks/{talk}/slot", new { start = "2022-12-03T10:00", durationMinutes = 15 }).Expect(200);
        await w.OpenRegistration();
        var ada = await w.Register("Ada Lovelace", "ada@example.org");
        var grace = await w.Register("Grace Hopper", "grace@example.org"); // capacity 1: waitlisted
        await _admin.Send(HttpMethod.Delete, $"/api/editions/{w.EditionId}/registrations/{ada}", null).Expect(200);
        await _admin.Send(HttpMethod.Delete, $"/api/editions/{w.EditionId}/talks/{talk}", null);

        // Page through with limit=2, resuming from each page's cursor header.
        var all = new List<JsonElement>();
        var raw = new System.Text.StringBuilder();
        var cursor = start;
        // Our events can be held back briefly by another process's open transaction (gap safety):
        // an empty page then long-polls instead of ending the read.
        for (var i = 0; i < 50 && all.Count < 9; i++)
        {
            var (events, next) = await Page(_admin, $"after={cursor}&limit=2&series={w.Slug}&wait=5");
            raw.Append(JsonSerializer.Serialize(events));
            all.AddRange(events);
            if (events.Count > 0) Assert.Equal(events[^1].GetProperty("cursor").GetString(), next);
            cursor = next;
        }

        var types = all.Select(e => e.GetProperty("type").GetString()!.Replace("org.seriesplatform.", "")).ToList();
        Assert.Equal(["series.created.v1", "edition.planned.v1", "talk.scheduled.v1", "talk.rescheduled.v1", "edition.registration-opened.v1",
            "attendee.registered.v1", "attendee.waitlisted.v1", "registration.cancelled.v1", "attendee.promoted.v1"], types.Take(9));
        Assert.Equal(all.Count, all.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        var cursors = all.Select(e => GlobalCursor.TryParse(e.GetProperty("cursor").GetString(), out var c) ? c!.Value : default).ToList();
        Assert.Equal(cursors.Order().ToList(), cursors);

        var first = all[1];
        Assert.Equal("1.0", first.GetProperty("specversion").GetString());
        Assert.Equal($"/api/series/{w.Slug}", first.GetProperty("source").GetString());
        Assert.Equal($"editions/{w.EditionId}", first.GetProperty("subject").GetString());
        Assert.Equal("application/json", first.GetProperty("datacontenttype").GetString());
        Assert.True(first.TryGetProperty("time", out _));
        Assert.Equal("America/New_York", first.GetProperty("data").GetProperty("timeZone").GetString());
        var registered = all.First(e => e.GetProperty("type").GetString()!.EndsWith("attendee.registered.v1"));
        Assert.Equal(ada, registered.GetProperty("data").GetProperty("registrationId").GetString());
        Assert.Equal("registered", registered.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal($"editions/{w.EditionId}/registrations/{ada}", registered.GetProperty("subject").GetString());
        Assert.Equal(grace, all.First(e => e.GetProperty("type").GetString()!.EndsWith("attendee.promoted.v1")).GetProperty("data").GetProperty("registrationId").GetString());

        // Nothing personal or secret, anywhere in the feed.
        foreach (var secret in new[] { "Ada", "Lovelace", "ada@example.org", "grace@example.org", "Hopper", "zoom.example", "secret-meeting" })
            Assert.DoesNotContain(secret, raw.ToString());
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_still_advances_the_cursor_and_unmapped_events_are_skipped()
    {
        var start = await Head();
        var w = await Workshop.CreateAsync(_admin);
        // An internal event that has no public form.
        var internalId = Guid.NewGuid();
        await using (var db = NpgsqlDataSource.Create(server.ConnectionString))
        await using (var cmd = db.CreateCommand("insert into events (stream_id, stream_version, event_id, type, data) values ('internal-x', 1, $1, 'internal.thing', '{}')"))
        {
            cmd.Parameters.AddWithValue(internalId);
            await cmd.ExecuteNonQueryAsync();
        }

        // The events can be held back for a moment by an open transaction elsewhere in the cluster
        // (gap safety); poll, bounded, until the cursor has moved past them.
        var (none, cursor) = await Page(_admin, $"after={start}&types=attendee.registered.v1&series={w.Slug}");
        for (var i = 0; i < 100 && Cursor(cursor) <= Cursor(start); i++)
        {
            await Task.Delay(50);
            (none, cursor) = await Page(_admin, $"after={start}&types=attendee.registered.v1&series={w.Slug}");
        }
        Assert.Empty(none);
        Assert.True(Cursor(cursor) > Cursor(start));
        var (afterAll, again) = await Page(_admin, $"after={cursor}&series={w.Slug}");
        Assert.Empty(afterAll);
        Assert.True(Cursor(again) >= Cursor(cursor));

        var (everything, _) = await Page(_admin, $"after={start}&limit=1000");
        Assert.DoesNotContain(everything, e => e.GetProperty("id").GetString() == internalId.ToString());
        Assert.All(everything, e => Assert.StartsWith("org.seriesplatform.", e.GetProperty("type").GetString()));
        var (mine, _) = await Page(_admin, $"after={start}&series={w.Slug}");
        Assert.Equal(["org.seriesplatform.series.created.v1", "org.seriesplatform.edition.planned.v1"], mine.Select(e => e.GetProperty("type").GetString()));
        var (byEdition, _) = await Page(_admin, $"after={start}&edition={w.EditionId}&types=edition.planned.v1,talk.scheduled.v1");
        Assert.Single(byEdition);
    }

    private static GlobalCursor Cursor(string text) => GlobalCursor.TryParse(text, out var c) ? c.Value : throw new FormatException(text);

    [Fact]
    public async Task A_long_poll_at_the_head_wakes_as_soon_as_an_event_is_committed()
    {
        var w = await Workshop.CreateAsync(_admin);
        var head = await Head();
        var stopwatch = Stopwatch.StartNew();
        var poll = Page(_admin, $"after={head}&series={w.Slug}&types=talk.scheduled.v1&wait=30");
        await w.Talk("Details to come", "2022-12-03T11:00");
        var (events, _) = await poll;
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"the long poll took {stopwatch.Elapsed}");
        Assert.Equal("org.seriesplatform.talk.scheduled.v1", Assert.Single(events).GetProperty("type").GetString());

        // Nothing new: the poll ends at the deadline with an empty page and the same cursor.
        var (idle, cursor) = await Page(_admin, $"after={head}&series=nothing-here&wait=1");
        Assert.Empty(idle);
    }

    [Fact]
    public async Task The_feed_never_passes_an_event_whose_transaction_is_still_open()
    {
        var w = await Workshop.CreateAsync(_admin);
        var head = await Head();
        var store = server.Factory.Services.GetRequiredService<PostgresEventStore>();
        // A slow writer (another stream) takes its position first and commits last.
        var slug = "slow" + Guid.NewGuid().ToString("N")[..8];
        await using var slow = await store.OpenAsync(default);
        await using var tx = await slow.BeginTransactionAsync();
        await store.AppendAsync(slow, tx, $"series-{slug}", "series", ExpectedVersion.NoStream,
            [EventData.New(new Domain.SeriesCreated(slug, "Slow series", null))]);
        await w.Talk("Committed while the slow one is open", "2022-12-03T12:00", room: "B");

        // Other processes may append meanwhile, and transaction ids are shared by every database of the
        // cluster: the workshop's own setup events can become readable after `head` was taken. So look
        // only at the two events this test is about: the slow one and the talk committed after it.
        List<JsonElement> OfInterest(List<JsonElement> page) => page.Where(e =>
            e.GetProperty("type").GetString() == "org.seriesplatform.talk.scheduled.v1"
            || (e.GetProperty("type").GetString() == "org.seriesplatform.series.created.v1" && e.GetProperty("source").GetString() == $"/api/series/{slug}")).ToList();
        var (held, _) = await Page(_admin, $"after={head}&series={w.Slug},{slug}");
        Assert.Empty(OfInterest(held));
        var stopwatch = Stopwatch.StartNew();

        await tx.CommitAsync();
        // Both are readable once no transaction older than the talk's is open anywhere in the cluster
        // (other tests' transactions count too), so read until they are, for a few seconds at most.
        var both = new List<JsonElement>();
        for (var cursor = head; both.Count < 2 && stopwatch.Elapsed < TimeSpan.FromSeconds(10);)
        {
            var (page, next) = await Page(_admin, $"after={cursor}&series={w.Slug},{slug}&wait=1");
            both.AddRange(OfInterest(page));
            cursor = next;
        }
        Assert.Equal(["org.seriesplatform.series.created.v1", "org.seriesplatform.talk.scheduled.v1"], both.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal($"/api/series/{slug}", both[0].GetProperty("source").GetString());
    }

    [Theory]
    [InlineData("after=nonsense")]
    [InlineData("after=zz-1")]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=ten")]
    [InlineData("wait=-1")]
    [InlineData("wait=3600")]
    [InlineData("types=talk.exploded.v1")]
    [InlineData("edition=not-a-guid")]
    public async Task Bad_parameters_are_400_problems(string query)
    {
        var problem = await _admin.GetAsync("/api/feed?" + query).Expect(400, "application/problem+json");
        Assert.True(problem.GetProperty("errors").EnumerateObject().Any());
    }

    [Fact]
    public async Task The_feed_needs_an_integration_or_admin_key()
    {
        await server.Anonymous().GetAsync("/api/feed").Expect(401, null);
        await server.Client(await server.NewKey("historian")).GetAsync("/api/feed").Expect(403, null);
        await server.Client(await server.NewKey("integration")).GetAsync("/api/feed?limit=1").Expect(200, "application/cloudevents-batch+json");
        await server.Anonymous().GetAsync("/api/feed/live").Expect(401, null);
    }

    /// <summary>
    /// After a full page the server reads the next one ahead. Events written between two requests
    /// must still all arrive, in log order and once, and a page served from the read-ahead must be
    /// the page a direct read of the same cursor gives.
    /// </summary>
    [Fact]
    public async Task Pages_read_ahead_lose_nothing_written_meanwhile_and_equal_a_direct_read()
    {
        var start = await Head();
        var w = await Workshop.CreateAsync(_admin);
        for (var i = 0; i < 6; i++) await w.Talk($"Early {i}", $"2022-12-03T{9 + i:00}:00", room: "A");

        var all = new List<JsonElement>();
        var cursor = start;
        // Another test's open transaction may hold back part of what was written (gap safety), and a
        // waiting read answers with what is readable: read until the first two are in.
        for (var i = 0; i < 50 && all.Count < 2; i++)
        {
            var (first, next) = await Page(_admin, $"after={cursor}&limit={2 - all.Count}&series={w.Slug}&wait=5");
            all.AddRange(first);
            cursor = next;
        }
        Assert.Equal(2, all.Count);
        for (var i = 0; i < 3; i++) await w.Talk($"Late {i}", $"2022-12-03T{9 + i:00}:00", room: "B");
        var (ahead, _) = await Page(_admin, $"after={cursor}&limit=2&series={w.Slug}");
        var (direct, _) = await Page(_admin, $"after={cursor}&limit=2&series={w.Slug}");
        Assert.Equal(JsonSerializer.Serialize(direct), JsonSerializer.Serialize(ahead));

        for (var i = 0; i < 50 && all.Count < 11; i++)
        {
            var (events, next) = await Page(_admin, $"after={cursor}&limit=2&series={w.Slug}&wait=5");
            all.AddRange(events);
            cursor = next;
        }
        var titles = all.Where(e => e.GetProperty("type").GetString()!.EndsWith("talk.scheduled.v1"))
            .Select(e => e.GetProperty("data").GetProperty("title").GetString()).ToList();
        Assert.Equal(["Early 0", "Early 1", "Early 2", "Early 3", "Early 4", "Early 5", "Late 0", "Late 1", "Late 2"], titles);
        Assert.Equal(all.Count, all.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
    }
}
