using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SeriesPlatform.Server.Tests.Pages;

/// <summary>The public pages in chromium, over the imported demo series.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PublicPagesTests(BrowserFixture server)
{
    public static async Task<string> TuftsEditionId(BrowserFixture server)
    {
        using var client = server.Http();
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/api/series/iaifi-summer-workshop"));
        return doc.RootElement.GetProperty("editions")[0].GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task The_tufts_2022_agenda_shows_the_0915_talk_under_monday_with_speaker_affiliation_and_exports()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync($"/editions/{await TuftsEditionId(server)}");

        var monday = page.Locator("section").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Monday, August 8, 2022" }) });
        // The item that starts at 09:15 (the welcome before it ends then).
        var talk = monday.Locator("ol.agenda > li").Filter(new() { Has = page.Locator("p.when > time:first-child", new() { HasTextString = "09:15" }) });
        await Expect(talk).ToHaveCountAsync(1);
        await Expect(talk).ToContainTextAsync("Generative models with symmetries for physics");
        await Expect(talk).ToContainTextAsync("Sébastien Racanière");
        await Expect(talk).ToContainTextAsync("DeepMind");
        await Expect(talk.Locator("time").First).ToHaveAttributeAsync("datetime", "2022-08-08T13:15Z");
        await Expect(talk).ToHaveAttributeAsync("id", new System.Text.RegularExpressions.Regex("^item-[0-9a-f-]{36}$"));
        // The 10:30 talk has no title yet: the page says so instead of leaving a gap.
        await Expect(monday.Locator("ol.agenda > li").Filter(new() { HasTextString = "Claudius Krause" })).ToContainTextAsync("Details to come");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Calendar (.ics)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "schedule.xml" })).ToBeVisibleAsync();
        await Expect(page.GetByText("America/New_York").First).ToBeVisibleAsync();
        await BrowserFixture.Screenshot(page, "edition-tufts-2022");

        // The abstract is folded and opens from the keyboard.
        var summary = talk.Locator("summary", new() { HasTextString = "Abstract" });
        await summary.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(talk.Locator("details")).ToHaveAttributeAsync("open", "");

        await talk.GetByRole(AriaRole.Link, new() { Name = "Generative models with symmetries for physics" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Generative models with symmetries for physics");
        await Expect(page.Locator("main")).ToContainTextAsync("Monday, August 8, 2022, 09:15–10:00");
        await BrowserFixture.Screenshot(page, "talk");
    }

    [Fact]
    public async Task The_catalog_and_the_series_timeline_link_to_the_editions()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Workshop series");
        await BrowserFixture.Screenshot(page, "catalog");
        await page.GetByRole(AriaRole.Link, new() { Name = "Deep Learning and Physics" }).First.ClickAsync();
        await Expect(page.Locator("ol.timeline > li")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("ol.timeline")).ToContainTextAsync("Asia/Tokyo");
        await BrowserFixture.Screenshot(page, "series");
    }

    [Fact]
    public async Task On_a_phone_the_agenda_fits_the_screen()
    {
        var page = await server.NewPageAsync(width: 390, height: 844);
        await page.GotoAsync($"/editions/{await TuftsEditionId(server)}");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the agenda scrolls sideways on a 390 px wide screen");
        await BrowserFixture.Screenshot(page, "edition-phone");
    }
}
