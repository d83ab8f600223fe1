using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace SeriesPlatform.Server.Tests.Security;

public sealed class AccessTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<(string Slug, string Edition)> SeriesWithEdition(HttpClient admin, string? meetingUrl = null, int? capacity = null)
    {
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        await admin.Post("/api/series", new { slug, name = "Series " + slug }).Expect(201);
        var edition = (await admin.Post($"/api/series/{slug}/editions", new
        {
            title = "Virtual", startDate = "2022-07-18", endDate = "2022-07-18", timeZone = "America/New_York",
            format = meetingUrl is null ? "inPerson" : "virtual", virtualMeetingUrl = meetingUrl, capacity,
        }).Expect(201)).GetProperty("id").GetString()!;
        return (slug, edition);
    }

    [Fact]
    public async Task An_admin_key_limited_to_a_series_manages_that_series_only()
    {
        var admin = server.Admin();
        var (mine, myEdition) = await SeriesWithEdition(admin);
        var (other, otherEdition) = await SeriesWithEdition(admin);
        var key = (await admin.Post("/api/keys", new { name = "series admin", role = "admin", series = mine }).Expect(201)).GetProperty("key").GetString()!;
        var scoped = server.WithKey(key);
        foreach (var unknown in new[] { "no-such-series", mine.ToUpperInvariant(), "" })
            Assert.True((await admin.Post("/api/keys", new { name = "for nothing", role = "admin", series = unknown }).Expect(400, "application/problem+json"))
                .GetProperty("errors").TryGetProperty("series", out _), unknown);

        await scoped.Post($"/api/editions/{myEdition}/talks", new { title = "Mine", start = "2022-07-18T10:00", durationMinutes = 30 }).Expect(201);
        await scoped.Post($"/api/series/{mine}/editions", new { title = "Next", startDate = "2023-07-18", endDate = "2023-07-18", timeZone = "UTC", format = "virtual" }).Expect(201);
        await scoped.GetAsync($"/api/editions/{myEdition}/registrations").Expect(200);

        var before = await server.Anonymous().GetAsync($"/api/editions/{otherEdition}").Expect(200);
        await scoped.Post($"/api/editions/{otherEdition}/talks", new { title = "Theirs", start = "2022-07-18T10:00", durationMinutes = 30 }).Expect(403, "application/problem+json");
        await scoped.Post($"/api/series/{other}/editions", new { title = "Next", startDate = "2023-07-18", endDate = "2023-07-18", timeZone = "UTC", format = "virtual" })
            .Expect(403, "application/problem+json");
        await scoped.Post("/api/series", new { slug = "s" + Guid.NewGuid().ToString("N")[..10], name = "New" }).Expect(403, "application/problem+json");
        await scoped.GetAsync($"/api/editions/{otherEdition}/registrations").Expect(403, "application/problem+json");
        // Nor what only keys may read of another series: its audit history and its figures. Its public pages stay public.
        await scoped.GetAsync($"/api/editions/{myEdition}/history").Expect(200);
        await scoped.GetAsync($"/api/editions/{otherEdition}/history").Expect(403, "application/problem+json");
        await scoped.GetAsync($"/api/series/{other}/stats").Expect(403, "application/problem+json");
        await scoped.GetAsync($"/api/editions/{otherEdition}/agenda").Expect(200);
        await scoped.Post("/api/keys", new { name = "escalate", role = "admin" }).Expect(403, null);
        await scoped.Post("/api/privacy/forget", new { email = "x@example.org" }).Expect(403, null);
        var after = await server.Anonymous().GetAsync($"/api/editions/{otherEdition}").Expect(200);
        Assert.Equal(before.GetProperty("version").GetInt64(), after.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_meeting_link_is_shown_to_admins_and_seated_attendees_only()
    {
        const string secret = "https://example.zoom.us/j/87026523803?pwd=S3cretPwd";
        var admin = server.Admin();
        var (slug, edition) = await SeriesWithEdition(admin, secret, capacity: 1);
        await admin.Post($"/api/editions/{edition}/talks", new { title = "Breakout", start = "2022-07-18T15:25", durationMinutes = 60 }).Expect(201);
        await admin.Post($"/api/editions/{edition}/registration/open", new { }).Expect(200);

        var anonymous = server.Anonymous();
        foreach (var path in new[] { $"/api/editions/{edition}", $"/api/editions/{edition}/agenda", $"/api/editions/{edition}/schedule.xml",
                     $"/api/editions/{edition}/schedule.json", $"/api/editions/{edition}/calendar.ics", $"/api/series/{slug}", $"/api/series/{slug}/calendar.ics" })
            Assert.DoesNotContain("S3cretPwd", await anonymous.GetStringAsync(path));
        Assert.Equal(secret, (await admin.GetAsync($"/api/editions/{edition}").Expect(200)).GetProperty("virtualMeetingUrl").GetString());

        var seated = await anonymous.Post($"/api/editions/{edition}/registrations", new { name = "Ada", email = "ada@example.org" }).Expect(201);
        var waiting = await anonymous.Post($"/api/editions/{edition}/registrations", new { name = "Bob", email = "bob@example.org" }).Expect(201);
        var link = seated.GetProperty("attendeeLink").GetString()!;
        Assert.Equal(secret, (await anonymous.GetAsync(link).Expect(200)).GetProperty("meetingUrl").GetString());
        var waitingView = await anonymous.GetAsync(waiting.GetProperty("attendeeLink").GetString()!).Expect(200);
        Assert.Equal("waitlisted", waitingView.GetProperty("status").GetString());
        Assert.False(waitingView.TryGetProperty("meetingUrl", out var url) && url.ValueKind == System.Text.Json.JsonValueKind.String);
        await anonymous.GetAsync(link[..^3] + "xyz").Expect(404, "application/problem+json");
    }

    [Fact]
    public async Task A_keys_use_is_recorded_at_most_once_a_minute_and_a_revocation_still_counts_at_once()
    {
        var admin = server.Admin();
        var created = await admin.Post("/api/keys", new { name = "busy integration", role = "historian" }).Expect(201);
        var (id, key) = (Guid.Parse(created.GetProperty("id").GetString()!), created.GetProperty("key").GetString()!);
        var historian = server.WithKey(key);
        await using var db = Npgsql.NpgsqlDataSource.Create(server.ConnectionString);
        async Task<(DateTime? LastUsed, string RowVersion)> Row()
        {
            await using var cmd = db.CreateCommand("select last_used_at, xmin::text from api_keys where id = $1");
            cmd.Parameters.AddWithValue(id);
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            return (reader.IsDBNull(0) ? null : reader.GetDateTime(0), reader.GetString(1));
        }
        Assert.Null((await Row()).LastUsed);

        await historian.GetAsync("/api/stats").Expect(200);
        var first = await Row();
        Assert.NotNull(first.LastUsed);

        // Used again within the minute: the row is not written at all (same xmin), the time stays.
        await historian.GetAsync("/api/stats").Expect(200);
        await historian.GetAsync("/api/stats").Expect(200);
        Assert.Equal(first, await Row());

        // A use a minute after the one recorded is recorded.
        await using (var backdate = db.CreateCommand("update api_keys set last_used_at = now() - interval '2 minutes' where id = $1 returning last_used_at"))
        {
            backdate.Parameters.AddWithValue(id);
            var backdated = (DateTime)(await backdate.ExecuteScalarAsync())!;
            await historian.GetAsync("/api/stats").Expect(200);
            Assert.True((await Row()).LastUsed > backdated);
        }
        Assert.Equal(first.LastUsed!.Value, (await admin.GetAsync("/api/keys").Expect(200)).EnumerateArray()
            .Single(k => k.GetProperty("id").GetString() == id.ToString()).GetProperty("lastUsedAt").GetDateTimeOffset().UtcDateTime, TimeSpan.FromMinutes(1));

        // The key is looked up on every request: revoked, it is refused on its very next call.
        await admin.DeleteAsync($"/api/keys/{id}").Expect(204, null);
        await historian.GetAsync("/api/stats").Expect(401, null);
    }
}

/// <summary>A host with tight limits, to see them work.</summary>
public sealed class TightLimitsFixture : ServerFixture
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("SERIES_RATE_LIMIT", "2");
        builder.UseSetting("SERIES_RATE_BURST", "3");
    }
}

public sealed class RateLimitTests(TightLimitsFixture server) : IClassFixture<TightLimitsFixture>
{
    [Fact]
    public async Task Over_the_limit_callers_get_429_with_retry_after_while_health_stays_reachable()
    {
        var client = server.Anonymous();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 10; i++)
        {
            var response = await client.GetAsync("/api/series");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited ??= response;
        }
        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.NotNull(limited);
        Assert.True(int.Parse(limited!.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        for (var i = 0; i < 10; i++) await client.GetAsync("/health/ready").Expect(200);

        // Another key has a bucket of its own.
        await server.Admin().GetAsync("/api/series").Expect(200);
    }
}
