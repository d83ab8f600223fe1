using Microsoft.Playwright;
using SeriesPlatform.Server.Tests.Integrations;
using static Microsoft.Playwright.Assertions;

namespace SeriesPlatform.Server.Tests.Pages;

/// <summary>
/// The webhooks admin page in chromium. The receivers run on 127.0.0.1 (allow-listed in
/// <see cref="BrowserFixture"/>); the refused URL is an IP literal, so nothing is resolved or sent
/// beyond loopback. Every subscription made here is deleted through the page before the test ends.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WebhookPagesTests(BrowserFixture server)
{
    private const string SeriesCreated = "org.seriesplatform.series.created.v1";

    [Fact]
    public async Task An_admin_creates_a_webhook_sees_its_secret_once_its_deliveries_and_replays_a_dead_letter()
    {
        await using var receiver = await Receiver.StartAsync();
        var failing = true;
        receiver.Respond = (path, _, http) =>
        {
            http.Response.StatusCode = path == "/page-dead" && failing ? 500 : 200;
            return Task.CompletedTask;
        };
        var page = await server.NewPageAsync();
        await AdminPagesTests.SignIn(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Webhooks" })).ToBeVisibleAsync();

        // A private address is refused, next to the URL field, and the input is kept.
        var url = page.GetByLabel("URL", new() { Exact = false });
        await url.FillAsync("https://10.1.2.3/hook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        await Expect(url).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(url).ToHaveValueAsync("https://10.1.2.3/hook");
        await Expect(page.Locator("#webhook-url-error")).ToContainTextAsync("loopback, private or link-local");
        await BrowserFixture.Screenshot(page, "admin-webhooks-refused");

        // A good one: the secret is shown in the answer, and never again.
        var good = $"{receiver.Url}/page-hook";
        var secret = await Create(page, good);
        Assert.StartsWith("whsec_", secret);
        await BrowserFixture.Screenshot(page, "admin-webhooks-created");
        await page.GotoAsync("/admin/webhooks");
        await Expect(page.Locator("#webhook-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync());
        var dead = $"{receiver.Url}/page-dead";
        await Create(page, dead);

        // An event both want: the good one delivers, the other fails twice and is dead-lettered.
        using var admin = server.Http(ServerFixture.AdminKey);
        await admin.Post("/api/series", new { slug = "hook-" + Guid.NewGuid().ToString("N")[..8], name = "Webhook page test" }).Expect(201);
        var hit = (await receiver.WaitFor("/page-hook", 1))[0];
        Assert.Contains("series.created", hit.Body);

        await page.GotoAsync("/admin/webhooks");
        await page.GetByRole(AriaRole.Link, new() { Name = good }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Webhook deliveries" })).ToBeVisibleAsync();
        var log = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Delivery log" }) });
        await ReloadUntil(page, log.Locator("tbody tr").Filter(new() { HasTextString = "delivered" }));
        var delivered = log.Locator("tbody tr").Filter(new() { HasTextString = "delivered" }).First;
        await Expect(delivered).ToContainTextAsync("series.created.v1");
        await Expect(delivered.Locator("td").Nth(4)).ToHaveTextAsync("200");
        await Expect(delivered.Locator("td").Nth(5)).ToContainTextAsync(" ms");
        await BrowserFixture.Screenshot(page, "admin-webhook-log");

        await page.GotoAsync("/admin/webhooks");
        await page.GetByRole(AriaRole.Link, new() { Name = dead }).ClickAsync();
        var letters = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Dead letters" }) });
        await ReloadUntil(page, letters.GetByRole(AriaRole.Button, new() { Name = "Replay" }));
        await Expect(letters.Locator("tbody tr").First).ToContainTextAsync("500");
        await BrowserFixture.Screenshot(page, "admin-webhook-dead-letter");
        failing = false;
        await letters.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Dead letter replayed: the receiver accepted it.");
        await Expect(letters.Locator("tbody tr").First).ToContainTextAsync("replayed");
        await Expect(log.Locator("tbody tr").First).ToContainTextAsync("replayed");
        Assert.Equal(hit.Headers["webhook-id"], receiver.Hits("/page-dead")[^1].Headers["webhook-id"]);

        // Pause, resume, delete from the list.
        await page.GotoAsync("/admin/webhooks");
        var row = page.Locator("tr", new() { HasTextString = good });
        await row.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Webhook paused.");
        await Expect(row).ToContainTextAsync("paused (Paused by an admin.)");
        await row.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Webhook resumed.");
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("active");
        await BrowserFixture.Screenshot(page, "admin-webhooks");
        foreach (var target in new[] { good, dead })
        {
            await page.Locator("tr", new() { HasTextString = target }).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Webhook deleted.");
            await Expect(page.Locator("tr", new() { HasTextString = target })).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task An_admin_rebuilds_a_projection_from_the_status_table_and_sees_the_new_generation()
    {
        var page = await server.NewPageAsync();
        await AdminPagesTests.SignIn(page);
        var table = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Projections" }) });
        var row = table.Locator("tbody tr").Filter(new() { HasTextString = "history_catalog" });
        await Expect(row).ToHaveCountAsync(1);
        var before = int.Parse((await row.Locator("td").Nth(1).TextContentAsync())!, System.Globalization.CultureInfo.InvariantCulture);
        await row.GetByRole(AriaRole.Button, new() { Name = "Rebuild history_catalog" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/projections\\?rebuilding=history_catalog"));
        await BrowserFixture.Screenshot(page, "admin-projections-rebuilding");
        // The page refreshes itself while building; once swapped in only the new generation is listed.
        var live = table.Locator("tbody tr").Filter(new() { HasTextString = "history_catalog" });
        await Expect(live).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(live.Locator("td").Nth(1)).ToHaveTextAsync($"{before + 1}", new() { Timeout = 30_000 });
        await Expect(live.Locator("td").Nth(2)).ToContainTextAsync("live");
        await Expect(live.GetByRole(AriaRole.Button, new() { Name = "Rebuild history_catalog" })).ToBeVisibleAsync();
        await BrowserFixture.Screenshot(page, "admin-projections");
    }

    private static async Task<string> Create(IPage page, string url)
    {
        await page.GetByLabel("URL", new() { Exact = false }).FillAsync(url);
        await page.GetByLabel("Event types").SelectOptionAsync(new[] { SeriesCreated });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Webhook created for {url}");
        await Expect(page.Locator("tr", new() { HasTextString = url })).ToContainTextAsync("series.created.v1");
        return (await page.Locator("#webhook-secret").TextContentAsync())!.Trim();
    }

    /// <summary>The log is written as deliveries happen: reload (as a person would) until the row is there.</summary>
    private static async Task ReloadUntil(IPage page, ILocator locator, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (await locator.CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"not on {page.Url} after {seconds} s: {locator}");
            await Task.Delay(200);
            await page.ReloadAsync();
        }
    }
}
