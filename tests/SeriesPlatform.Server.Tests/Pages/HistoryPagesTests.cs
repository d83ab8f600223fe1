using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SeriesPlatform.EventStore.Projections;
using static Microsoft.Playwright.Assertions;

namespace SeriesPlatform.Server.Tests.Pages;

/// <summary>The historian pages over the async read models (waited for by checkpoint, never by sleeping).</summary>
[Collection(BrowserCollection.Name)]
public sealed class HistoryPagesTests(BrowserFixture server)
{
    private Task CaughtUp() => server.Factory.Services.GetRequiredService<ProjectionDaemon>().WaitForCatchUpAsync(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Search_finds_a_demo_talk_and_the_speakers_page_lists_every_appearance_with_its_affiliation()
    {
        await CaughtUp();
        var page = await server.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Search" }).ClickAsync();
        await page.GetByLabel("Search talks, topics and people").FillAsync("Racanière");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Generative models with symmetries for physics" })).ToBeVisibleAsync();
        await BrowserFixture.Screenshot(page, "search");

        await page.GetByRole(AriaRole.Link, new() { Name = "Sébastien Racanière" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sébastien Racanière");
        var row = page.Locator("tbody tr").Filter(new() { HasTextString = "Generative models with symmetries for physics" });
        await Expect(row).ToContainTextAsync("DeepMind");
        await Expect(row).ToContainTextAsync("speaker");
        await BrowserFixture.Screenshot(page, "person");
    }

    [Fact]
    public async Task The_statistics_page_draws_its_charts_as_svg_with_data_tables()
    {
        await CaughtUp();
        var page = await server.NewPageAsync();
        await page.GotoAsync("/stats");
        var chart = page.Locator("section[aria-labelledby=per-year] svg.chart");
        await Expect(chart).ToHaveAttributeAsync("role", "img");
        await Expect(chart.Locator("rect")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("section[aria-labelledby=per-year] table")).ToContainTextAsync("iaifi-summer-workshop");
        await BrowserFixture.Screenshot(page, "stats");
    }

    [Fact]
    public async Task An_admin_publishes_a_release_and_sees_its_changelog_and_the_audit_history()
    {
        var page = await server.NewPageAsync();
        await AdminPagesTests.SignIn(page);
        await Expect(page.Locator("section[aria-labelledby=projections] tbody tr")).Not.ToHaveCountAsync(0);
        var adminEdition = await AdminPagesTests.PlanEdition(page, "rel-" + Guid.NewGuid().ToString("N")[..8]);
        await page.GetByRole(AriaRole.Link, new() { Name = "Schedule a talk" }).ClickAsync();
        await page.GetByLabel("Title").FillAsync("Symmetries in jets");
        await page.GetByLabel("Start").FillAsync("2023-12-15T10:00");
        await page.GetByLabel("Duration (minutes)").FillAsync("20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule talk" }).ClickAsync();

        await page.GetByLabel("Note for subscribers").FillAsync("First programme");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish release 1" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Agenda release published.");
        // Publishing again without a change is refused, and the refusal is shown on the page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish release 2" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("has not changed since release 1");

        await page.GotoAsync(adminEdition.Split('?')[0]);
        await page.GetByRole(AriaRole.Link, new() { Name = "Releases (1)" }).ClickAsync();
        var release = page.Locator("#release-1");
        await Expect(release).ToContainTextAsync("First programme");
        await Expect(release).ToContainTextAsync("Symmetries in jets");
        await BrowserFixture.Screenshot(page, "releases");

        await page.GotoAsync(adminEdition.Split('?')[0]);
        await page.GetByRole(AriaRole.Link, new() { Name = "History (audit)" }).ClickAsync();
        var rows = page.Locator("tbody tr");
        await Expect(rows.First).ToContainTextAsync("agenda.published");
        await Expect(rows.First).ToContainTextAsync("web");
        await Expect(page.Locator("tbody")).ToContainTextAsync("ScheduleTalk");
        await BrowserFixture.Screenshot(page, "audit");
    }
}
