using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SeriesPlatform.Server.Tests.Pages;

/// <summary>An admin at work in chromium: every action is a form, every refusal lands next to its field.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminPagesTests(BrowserFixture server)
{
    internal static async Task SignIn(IPage page, string key = ServerFixture.AdminKey)
    {
        await page.GotoAsync("/admin");
        // Anonymous: the admin page sends the browser to sign in, and back afterwards.
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/sign-in\\?returnUrl="));
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Admin" })).ToBeVisibleAsync();
    }

    /// <summary>Creates a series and plans an edition through the forms; returns the admin edition page's URL.</summary>
    public static async Task<string> PlanEdition(IPage page, string slug)
    {
        var create = page.Locator("form", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Create a series" }) });
        await create.GetByLabel("Slug").FillAsync(slug);
        await create.GetByLabel("Name", new() { Exact = false }).First.FillAsync("Machine Learning and the Physical Sciences");
        await create.GetByRole(AriaRole.Button, new() { Name = "Create series" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Series created.");

        var plan = page.Locator("form", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Plan an edition" }) });
        await plan.GetByLabel("Title").FillAsync("ML4PS 2023");
        await plan.GetByLabel("First day").FillAsync("2023-12-15");
        await plan.GetByLabel("Last day").FillAsync("2023-12-16");
        await plan.GetByLabel("Time zone").FillAsync("America/New_York");
        await plan.GetByLabel("Venue").FillAsync("New Orleans Convention Center");
        await plan.GetByLabel("City", new() { Exact = true }).FillAsync("New Orleans");
        await plan.GetByRole(AriaRole.Button, new() { Name = "Plan edition" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Edition planned.");
        return page.Url;
    }

    [Fact]
    public async Task An_admin_signs_in_schedules_a_talk_through_the_form_and_sees_it_on_the_public_page()
    {
        var page = await server.NewPageAsync();
        await SignIn(page);
        await BrowserFixture.Screenshot(page, "admin-home");
        await PlanEdition(page, "ml4ps-" + Guid.NewGuid().ToString("N")[..8]);

        await page.GetByRole(AriaRole.Link, new() { Name = "Schedule a talk" }).ClickAsync();
        await page.GetByLabel("Title").FillAsync("Equivariant networks for jets");
        await page.GetByLabel("Speaker", new() { Exact = true }).FillAsync("Savannah Thais");
        await page.GetByLabel("Speaker's affiliation").FillAsync("Columbia University");
        await page.GetByLabel("Start").FillAsync("2023-12-15T09:15");
        await page.GetByLabel("Duration (minutes)").FillAsync("30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule talk" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Talk scheduled.");
        await Expect(page.Locator("table")).ToContainTextAsync("Equivariant networks for jets");
        await BrowserFixture.Screenshot(page, "admin-edition");

        await page.GetByRole(AriaRole.Link, new() { Name = "public page" }).ClickAsync();
        var friday = page.Locator("section").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Friday, December 15, 2023" }) });
        var talk = friday.Locator("ol.agenda > li").Filter(new() { HasTextString = "Equivariant networks for jets" });
        await Expect(talk).ToContainTextAsync("09:15–09:45");
        await Expect(talk).ToContainTextAsync("Savannah Thais, Columbia University");
    }

    [Fact]
    public async Task An_invalid_talk_form_shows_the_error_next_to_the_field_and_keeps_the_input()
    {
        var page = await server.NewPageAsync();
        await SignIn(page);
        await PlanEdition(page, "ml4ps-" + Guid.NewGuid().ToString("N")[..8]);
        await page.GetByRole(AriaRole.Link, new() { Name = "Schedule a talk" }).ClickAsync();
        await page.GetByLabel("Title").FillAsync("A talk after the workshop ended");
        await page.GetByLabel("Speaker", new() { Exact = true }).FillAsync("Kyle Cranmer");
        await page.GetByLabel("Start").FillAsync("2023-12-20T09:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule talk" }).ClickAsync();

        var start = page.GetByLabel("Start");
        await Expect(start).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(start).ToHaveValueAsync("2023-12-20T09:00");
        await Expect(page.GetByLabel("Title")).ToHaveValueAsync("A talk after the workshop ended");
        // The message sits in the same field group as the input and is its description.
        var error = page.Locator(".field", new() { Has = start }).Locator(".error");
        await Expect(error).ToContainTextAsync("outside the edition");
        await Expect(start).ToHaveAttributeAsync("aria-describedby", new System.Text.RegularExpressions.Regex("talk-startLocal-error"));
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("startLocal");
        await BrowserFixture.Screenshot(page, "schedule-talk-error");
    }
}
