using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SeriesPlatform.Testing;

namespace SeriesPlatform.Server.Tests.Integrations;

/// <summary>
/// The real Program over a database of its own, set up for integration tests: 127.0.0.1 is the only
/// allow-listed webhook host (the receivers run there, nothing leaves the machine), retries and
/// polls are fast, heartbeats come every second.
/// </summary>
public class IntegrationFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync(GetType().Name);
        Factory = NewHost();
        _ = Factory.Server;
    }

    /// <summary>Another server process over the same database (the crash test starts a second one).</summary>
    public WebApplicationFactory<Program> NewHost() => new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
    {
        b.UseSetting("SERIES_DATABASE", ConnectionString);
        b.UseSetting("SERIES_BOOTSTRAP_ADMIN_KEY", ServerFixture.AdminKey);
        b.UseSetting("SERIES_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1");
        b.UseSetting("SERIES_WEBHOOK_MAX_ATTEMPTS", "3");
        b.UseSetting("SERIES_WEBHOOK_RETRY_BASE_MS", "100");
        b.UseSetting("SERIES_WEBHOOK_TIMEOUT_MS", "1000");
        b.UseSetting("SERIES_WEBHOOK_POLL_MS", "100");
        b.UseSetting("SERIES_FEED_HEARTBEAT_SECONDS", "1");
        b.UseEnvironment("Testing");
    });

    public HttpClient Admin() => Client(ServerFixture.AdminKey);
    public HttpClient Anonymous() => Factory.CreateClient();

    public HttpClient Client(string? key)
    {
        var client = Factory.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task<string> NewKey(string role)
    {
        var created = await Admin().Post("/api/keys", new { name = $"{role}-{Guid.NewGuid():N}", role }).Expect(201);
        return created.GetProperty("key").GetString()!;
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null) await Factory.DisposeAsync();
    }
}

/// <summary>Workshop content through the public API, in a series of its own so tests can filter on it.</summary>
public sealed class Workshop(HttpClient admin)
{
    public string Slug { get; } = "s" + Guid.NewGuid().ToString("N")[..10];
    public string EditionId { get; private set; } = "";

    public static async Task<Workshop> CreateAsync(HttpClient admin, int? capacity = null, string? meetingUrl = null)
    {
        var w = new Workshop(admin);
        await admin.Post("/api/series", new { slug = w.Slug, name = "Machine Learning and the Physical Sciences" }).Expect(201);
        var edition = await admin.Post($"/api/series/{w.Slug}/editions", new
        {
            title = "ML4PS 2022", startDate = "2022-12-03", endDate = "2022-12-03", timeZone = "America/New_York",
            format = meetingUrl is null ? "inPerson" : "hybrid", capacity, virtualMeetingUrl = meetingUrl,
            venue = new { name = "New Orleans Convention Center", city = "New Orleans", country = "USA" },
        }).Expect(201);
        w.EditionId = edition.GetProperty("id").GetString()!;
        return w;
    }

    public async Task<string> Talk(string title, string start, string? room = null)
    {
        var talk = await admin.Post($"/api/editions/{EditionId}/talks", new
        {
            title, start, durationMinutes = 10, room, speakers = new[] { new { name = "Savannah Thais", affiliation = "Columbia" } },
        }).Expect(201);
        return talk.GetProperty("id").GetString()!;
    }

    public Task OpenRegistration() => admin.Post($"/api/editions/{EditionId}/registration/open", new { }).Expect(200);

    public async Task<string> Register(string name, string email)
    {
        var r = await admin.Post($"/api/editions/{EditionId}/registrations", new { name, email }).Expect(201);
        return r.GetProperty("id").GetString()!;
    }
}

public static class Eventually
{
    /// <summary>Polls until the condition holds; fails with the message when the deadline passes. Never a fixed sleep.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out after {seconds} s waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
