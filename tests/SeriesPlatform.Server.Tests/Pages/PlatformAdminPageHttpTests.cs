using System.Net;
using System.Text.RegularExpressions;
using SeriesPlatform.Server.Tests.Integrations;

namespace SeriesPlatform.Server.Tests.Pages;

/// <summary>Projection rebuilds from the admin page, and platform-wide pages refused to a series-limited admin.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class PlatformAdminPageHttpTests(BrowserFixture server)
{
    private const string Projection = "history_search";

    [Fact]
    public async Task A_rebuild_needs_the_antiforgery_token_and_then_the_status_shows_the_new_generation_until_it_is_live()
    {
        var (client, token) = await SignedIn(ServerFixture.AdminKey);
        var home = await client.GetStringAsync("/admin");
        Assert.Contains($"action=\"/admin/projections/{Projection}/rebuild\"", home);
        var before = Generations(home).Max();

        using var forged = await client.PostAsync($"/admin/projections/{Projection}/rebuild", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("security token", await forged.Content.ReadAsStringAsync());
        Assert.Equal(before, Generations(await client.GetStringAsync("/admin")).Max());

        using var rebuild = await client.PostAsync($"/admin/projections/{Projection}/rebuild", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, rebuild.StatusCode);
        Assert.Equal($"/admin/projections?rebuilding={Projection}", rebuild.Headers.Location?.OriginalString);

        // Building (with its progress and a self-refresh) or already swapped in: either way the new generation shows.
        using var status = await client.GetAsync($"/admin/projections?rebuilding={Projection}");
        var html = await status.Content.ReadAsStringAsync();
        Assert.Contains(before + 1, Generations(html));
        if (Row().Matches(html).Any(m => m.Groups[1].Value == Projection && m.Groups[2].Value == $"{before + 1}" && m.Groups[3].Value == "building"))
        {
            Assert.Contains("<meta http-equiv=\"refresh\" content=\"2\">", html);
            Assert.Contains("<progress", html);
            Assert.Contains($"Rebuilding {Projection} into generation {before + 1}", html);
        }
        var live = await Eventually.Until(() => client.GetStringAsync("/admin"), h => Live(h) == before + 1, $"generation {before + 1} live");
        Assert.DoesNotContain($"projection-{Projection}-{before}\"", live);
    }

    [Fact]
    public async Task A_series_limited_admin_gets_a_403_page_for_webhooks_and_rebuilds_and_sees_no_rebuild_button()
    {
        using var admin = server.Http(ServerFixture.AdminKey);
        var slug = "lim-" + Guid.NewGuid().ToString("N")[..8];
        await admin.Post("/api/series", new { slug, name = "Limited" }).Expect(201);
        var key = (await admin.Post("/api/keys", new { name = "series admin " + slug, role = "admin", series = slug }).Expect(201))
            .GetProperty("key").GetString()!;
        var (client, token) = await SignedIn(key);

        var home = await client.GetStringAsync("/admin");
        Assert.DoesNotContain("/rebuild\"", home);
        Assert.DoesNotContain("href=\"/admin/webhooks\"", home);
        Assert.Contains(Projection, home);

        foreach (var path in new[] { "/admin/webhooks", $"/admin/webhooks/{Guid.NewGuid()}" })
        {
            using var get = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
            Assert.Equal("text/html", get.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Not allowed", await get.Content.ReadAsStringAsync());
        }
        var before = Generations(await (await SignedIn(ServerFixture.AdminKey)).Client.GetStringAsync("/admin")).Max();
        foreach (var path in new[] { $"/admin/projections/{Projection}/rebuild", "/admin/webhooks" })
        {
            using var post = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__csrf"] = token, ["url"] = "https://example.org/hook",
            }));
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        }
        Assert.Equal(before, Generations(await (await SignedIn(ServerFixture.AdminKey)).Client.GetStringAsync("/admin")).Max());
        using var list = await admin.GetAsync("/api/webhooks");
        Assert.DoesNotContain("example.org", await list.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_series_limited_admin_sees_its_own_series_attendees_and_a_403_page_for_any_other_series()
    {
        using var admin = server.Http(ServerFixture.AdminKey);
        using var anonymous = server.Http();
        async Task<(string Slug, string Edition, string[] Registrations)> SeriesWithAttendees(string who)
        {
            var slug = "att-" + Guid.NewGuid().ToString("N")[..8];
            await admin.Post("/api/series", new { slug, name = "Series " + who }).Expect(201);
            var edition = (await admin.Post($"/api/series/{slug}/editions", new
            {
                title = "Edition " + who, startDate = "2031-05-05", endDate = "2031-05-06", timeZone = "Europe/Rome", format = "inPerson", capacity = 1,
            }).Expect(201)).GetProperty("id").GetString()!;
            await admin.Post($"/api/editions/{edition}/registration/open", new { }).Expect(200);
            var ids = new List<string>();
            foreach (var person in new[] { "Seated", "Waiting" })
                ids.Add((await anonymous.Post($"/api/editions/{edition}/registrations", new { name = $"{person} {who}", email = $"{person}.{who}@example.org".ToLowerInvariant() })
                    .Expect(201)).GetProperty("id").GetString()!);
            return (slug, edition, [.. ids]);
        }
        var otherName = "Other" + Guid.NewGuid().ToString("N")[..6];
        var mine = await SeriesWithAttendees("Mine" + Guid.NewGuid().ToString("N")[..6]);
        var other = await SeriesWithAttendees(otherName);
        var key = (await admin.Post("/api/keys", new { name = "series admin " + mine.Slug, role = "admin", series = mine.Slug }).Expect(201))
            .GetProperty("key").GetString()!;
        var (client, token) = await SignedIn(key);

        // Its own series: who registered, in order, with the waitlist position; a forgotten person shows as such.
        var own = await client.GetStringAsync($"/admin/editions/{mine.Edition}/registrations");
        Assert.Contains("Seated Mine", own);
        Assert.Contains("Waiting Mine", own);
        Assert.Contains("waitlisted (#1)", own);
        var waitingEmail = Regex.Match(own, @"waiting\.mine[a-z0-9]*@example\.org").Value;
        await admin.Post("/api/privacy/forget", new { email = waitingEmail }).Expect(200);
        var after = await client.GetStringAsync($"/admin/editions/{mine.Edition}/registrations");
        Assert.DoesNotContain("Waiting Mine", after);
        Assert.Contains("a forgotten attendee", after);
        Assert.Contains("Seated Mine", after);

        // Any page of another series, and its forms: 403, nothing of it shown.
        foreach (var path in new[] { $"/admin/editions/{other.Edition}/registrations", $"/admin/editions/{other.Edition}", $"/admin/editions/{other.Edition}/history",
            $"/admin/editions/{other.Edition}/breakouts", $"/admin/series/{other.Slug}" })
        {
            using var get = await client.GetAsync(path);
            var html = await get.Content.ReadAsStringAsync();
            Assert.True(get.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)get.StatusCode}");
            Assert.Contains("Not allowed", html);
            Assert.DoesNotContain(otherName, html);
        }
        using var checkIn = await client.PostAsync($"/admin/editions/{other.Edition}/registrations/{other.Registrations[0]}/check-in",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = token }));
        Assert.Equal(HttpStatusCode.Forbidden, checkIn.StatusCode);
        var list = (await admin.GetAsync($"/api/editions/{other.Edition}/registrations").Expect(200)).EnumerateArray().ToList();
        Assert.Equal(2, list.Count);
        Assert.All(list, r => Assert.False(r.TryGetProperty("checkedInAt", out _)));
    }

    [Fact]
    public async Task A_form_choice_that_is_not_one_of_the_options_is_a_form_error_and_any_case_of_one_is_taken()
    {
        using var admin = server.Http(ServerFixture.AdminKey);
        var slug = "choice-" + Guid.NewGuid().ToString("N")[..8];
        await admin.Post("/api/series", new { slug, name = "Choices" }).Expect(201);
        var edition = (await admin.Post($"/api/series/{slug}/editions", new { title = "E", startDate = "2031-05-05", endDate = "2031-05-06",
            timeZone = "Europe/Rome", format = "inPerson" }).Expect(201)).GetProperty("id").GetString()!;
        var (client, token) = await SignedIn(ServerFixture.AdminKey);
        Task<HttpResponseMessage> Post(string path, Dictionary<string, string> fields) =>
            client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__csrf"] = token, ["once"] = Guid.NewGuid().ToString("N") }));

        foreach (var kind in new[] { "abc", "3" })
        {
            using var refused = await Post($"/admin/editions/{edition}/talks", new() { ["title"] = "Odd " + kind, ["startLocal"] = "2031-05-05T10:00", ["durationMinutes"] = "30", ["kind"] = kind });
            Assert.Equal(422, (int)refused.StatusCode);
            Assert.Contains("is not one of the choices", await refused.Content.ReadAsStringAsync());
        }
        using (var taken = await Post($"/admin/editions/{edition}/talks", new() { ["title"] = "Loud", ["startLocal"] = "2031-05-05T11:00", ["durationMinutes"] = "30", ["kind"] = "KEYNOTE" }))
            Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        var agenda = (await admin.GetAsync($"/api/editions/{edition}/agenda").Expect(200)).ToString();
        Assert.DoesNotContain("Odd ", agenda);
        Assert.Contains("\"keynote\"", agenda);

        using var format = await Post($"/admin/series/{slug}/editions", new() { ["title"] = "F", ["startDate"] = "2032-05-05", ["endDate"] = "2032-05-06",
            ["timeZone"] = "Europe/Rome", ["format"] = "abc" });
        Assert.Equal(422, (int)format.StatusCode);
    }

    private static List<int> Generations(string html) =>
        Row().Matches(html).Where(m => m.Groups[1].Value == Projection).Select(m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    private static int? Live(string html) => Row().Matches(html).Where(m => m.Groups[1].Value == Projection && m.Groups[3].Value == "live")
        .Select(m => (int?)int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();

    /// <summary>Signs in through the form with any key; returns the cookie-keeping client and a CSRF token for admin forms.</summary>
    private async Task<(HttpClient Client, string Token)> SignedIn(string key)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
        var form = await client.GetStringAsync("/admin/sign-in");
        using var signIn = await client.PostAsync("/admin/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = key, ["__csrf"] = Csrf().Match(form).Groups[1].Value, ["returnUrl"] = "/admin",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return (client, Csrf().Match(await client.GetStringAsync("/admin")).Groups[1].Value);
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex Csrf();

    [GeneratedRegex("<tr id=\"projection-([a-z_]+)-(\\d+)\"><td>[a-z_]+</td><td>\\d+</td>\\s*<td class=\"[a-z-]+\">([a-z]+)")]
    private static partial Regex Row();
}
