using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace SeriesPlatform.Server.Tests.Pages;

/// <summary>Historians pick a moment with the date-time picker and see the agenda as it stood then.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TimeTravelTests(BrowserFixture server)
{
    [Fact]
    public async Task The_time_travel_view_shows_a_talks_old_time_before_a_reschedule()
    {
        using var admin = server.Http(ServerFixture.AdminKey);
        var slug = "tt-" + Guid.NewGuid().ToString("N")[..8];
        await admin.Post("/api/series", new { slug, name = "Physics n ML" }).Expect(201);
        var edition = (await admin.Post($"/api/series/{slug}/editions", new
        {
            title = "Physics n ML 2023", startDate = "2023-03-01", endDate = "2023-03-01", timeZone = "Europe/Rome", format = "virtual",
        }).Expect(201)).GetProperty("id").GetString();
        var talk = (await admin.Post($"/api/editions/{edition}/talks", new
        {
            title = "Neural quantum states", start = "2023-03-01T09:15", durationMinutes = 45,
            speakers = new[] { new { name = "Giuseppe Carleo", affiliation = "EPFL" } },
        }).Expect(201)).GetProperty("id").GetString();

        // The moment to travel to: the next whole second after the talk was scheduled (the picker
        // works in seconds); the reschedule happens once the database clock has passed it.
        var moment = await DatabaseNow();
        moment = new DateTimeOffset(moment.Ticks - moment.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(1);
        await Integrations.Eventually.Until(DatabaseNow, now => now > moment, "the database clock to pass the chosen moment", 5);
        await admin.Put($"/api/editions/{edition}/talks/{talk}/slot", new { start = "2023-03-01T11:00" }).Expect(200);

        var page = await server.NewPageAsync();
        await page.GotoAsync($"/editions/{edition}");
        var item = page.Locator($"#item-{talk}");
        await Expect(item).ToContainTextAsync("11:00–11:45");

        var local = TimeZoneInfo.ConvertTime(moment, TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome"));
        await page.GetByLabel("Show the agenda as it stood at").FillAsync(local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(
            $"Showing the agenda as it stood at {local:yyyy-MM-dd HH:mm:ss} (Europe/Rome)");
        await Expect(item).ToContainTextAsync("09:15–10:00");
        await Expect(item).ToContainTextAsync("Neural quantum states");
        // The exports of that page are the exports of that moment.
        var ics = await page.GetByRole(AriaRole.Link, new() { Name = "Calendar (.ics)" }).GetAttributeAsync("href");
        Assert.Contains("asOf=", ics);
        await BrowserFixture.Screenshot(page, "time-travel");

        await page.GetByRole(AriaRole.Link, new() { Name = "Show the current agenda" }).ClickAsync();
        await Expect(item).ToContainTextAsync("11:00–11:45");
    }

    private async Task<DateTimeOffset> DatabaseNow()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select clock_timestamp()", connection);
        return (DateTimeOffset)(await cmd.ExecuteScalarAsync() is DateTime dt ? new DateTimeOffset(dt, TimeSpan.Zero) : throw new InvalidOperationException());
    }
}
