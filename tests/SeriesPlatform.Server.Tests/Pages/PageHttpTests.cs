using System.Net;
using System.Text.RegularExpressions;

namespace SeriesPlatform.Server.Tests.Pages;

/// <summary>What the pages promise at the HTTP level: escaping, security headers, CSRF, 404s, and the cookie kept away from the API.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class PageHttpTests(BrowserFixture server)
{
    private const string Script = "<script>alert(1)</script>";

    [Fact]
    public async Task User_text_renders_as_text_on_every_public_page()
    {
        using var admin = server.Http(ServerFixture.AdminKey);
        var slug = "xss-" + Guid.NewGuid().ToString("N")[..8];
        await admin.Post("/api/series", new { slug, name = Script, description = "\"><img src=x onerror=alert(2)>" }).Expect(201);
        var edition = (await admin.Post($"/api/series/{slug}/editions", new
        {
            title = Script, startDate = "2023-05-02", endDate = "2023-05-02", timeZone = "Europe/Madrid", format = "inPerson",
            venue = new { name = "<b>Valencia</b>" },
        }).Expect(201)).GetProperty("id").GetString();
        var talk = (await admin.Post($"/api/editions/{edition}/talks", new
        {
            title = Script, @abstract = Script, start = "2023-05-02T10:00", durationMinutes = 30,
            speakers = new[] { new { name = Script, affiliation = "'quoted\"", bio = Script } },
        }).Expect(201)).GetProperty("id").GetString();

        using var client = server.Http();
        foreach (var path in new[] { "/", $"/series/{slug}", $"/editions/{edition}", $"/editions/{edition}/talks/{talk}" })
        {
            var html = await client.GetStringAsync(path);
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain("<img", html);
            Assert.DoesNotContain("<b>Valencia", html);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        }
    }

    [Fact]
    public async Task Pages_carry_the_security_headers_and_no_inline_script()
    {
        using var client = server.Http();
        var edition = await PublicPagesTests.TuftsEditionId(server);
        foreach (var path in new[] { "/", $"/editions/{edition}", "/admin/sign-in", "/no-such-page" })
        {
            using var response = await client.GetAsync(path);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.True(response.Headers.Contains("Referrer-Policy"), path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch(InlineScriptOrStyle(), html);
        }
        // The stylesheet comes from the app itself (no CDN).
        var home = await client.GetStringAsync("/");
        var css = CssLink().Match(home).Groups[1].Value;
        using var sheet = await client.GetAsync(css);
        Assert.Equal(HttpStatusCode.OK, sheet.StatusCode);
        Assert.Equal("text/css", sheet.Content.Headers.ContentType?.MediaType);
        Assert.Contains("@media print", await sheet.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_pages_and_editions_answer_an_html_404_while_the_api_keeps_problem_json()
    {
        using var client = server.Http();
        foreach (var path in new[] { "/no-such-page", $"/editions/{Guid.NewGuid()}", "/series/no-such-series", $"/editions/{Guid.NewGuid()}/talks/{Guid.NewGuid()}" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<h1>", await response.Content.ReadAsStringAsync());
        }
        using var api = await client.GetAsync($"/api/editions/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_cookie_authenticated_form_without_its_csrf_token_is_refused_and_changes_nothing()
    {
        var (client, token) = await SignedIn();
        var slug = "csrf-" + Guid.NewGuid().ToString("N")[..8];
        using var forged = await client.PostAsync("/admin/series", new FormUrlEncodedContent(new Dictionary<string, string> { ["slug"] = slug, ["name"] = "Forged" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("security token", await forged.Content.ReadAsStringAsync());
        using var missing = await server.Http().GetAsync($"/api/series/{slug}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // With the token the same form works: the refusal above was the token's doing.
        using var genuine = await client.PostAsync("/admin/series", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["slug"] = slug, ["name"] = "Genuine", ["__csrf"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, genuine.StatusCode);
        Assert.Equal($"/admin/series/{slug}?done=created", genuine.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_admin_cookie_is_strict_httponly_and_never_authorizes_the_api()
    {
        var (client, _) = await SignedIn(server, inspect: cookie =>
        {
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        });
        using var api = await client.Post("/api/series", new { slug = "cookie-" + Guid.NewGuid().ToString("N")[..8], name = "Via cookie" });
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Anonymous_admin_pages_redirect_to_sign_in_and_a_wrong_key_is_refused()
    {
        using var client = server.Http();
        using var admin = await client.GetAsync("/admin/editions/" + Guid.NewGuid());
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        var location = admin.Headers.Location!;
        Assert.StartsWith("/admin/sign-in?returnUrl=", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);

        var (cookies, token) = await Form(server, "/admin/sign-in");
        using var wrong = await cookies.PostAsync("/admin/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = "sp_not_a_key", ["__csrf"] = token,
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var html = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("unknown or revoked", html);
        Assert.DoesNotContain("sp_not_a_key", html);
    }

    private Task<(HttpClient, string)> SignedIn() => SignedIn(server);

    /// <summary>Signs in through the form like a browser (cookies kept); returns the client and a CSRF token for admin forms.</summary>
    public static async Task<(HttpClient Client, string Token)> SignedIn(BrowserFixture server, Action<string>? inspect = null)
    {
        var (client, token) = await Form(server, "/admin/sign-in");
        using var signIn = await client.PostAsync("/admin/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = ServerFixture.AdminKey, ["__csrf"] = token, ["returnUrl"] = "/admin",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        inspect?.Invoke(signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sp_admin=", StringComparison.Ordinal)));
        var html = await client.GetStringAsync("/admin");
        return (client, CsrfValue().Match(html).Groups[1].Value);
    }

    private static async Task<(HttpClient, string)> Form(BrowserFixture server, string path)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
        var html = await client.GetStringAsync(path);
        return (client, CsrfValue().Match(html).Groups[1].Value);
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfValue();

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"([^\"]+)\"")]
    private static partial Regex CssLink();

    // Only real tags count: user text is encoded, so "onerror=" inside text has no "<" before it in the same tag.
    [GeneratedRegex("<script|<style|<[a-z][^>]*\\s(style|on[a-z]+)\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScriptOrStyle();
}
