using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SeriesPlatform.Server.Tests.Security;

/// <summary>
/// Walks every endpoint the app maps, with every kind of caller. Each endpoint must be classified
/// below: a new endpoint without a decision about who may call it fails this test.
/// </summary>
public sealed class EndpointAccessTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private enum Level
    {
        Public,         // anyone
        Historian,      // historian, admins
        Integration,    // integration, admins
        SeriesAdmin,    // admins of the series the route names
        PlatformAdmin,  // admins not limited to a series
        AnyAdmin,       // any admin key, also one limited to a series
        AdminPage,      // cookie sign-in only: bearer keys do not open admin pages
    }

    private static readonly Dictionary<string, Level> Decisions = new()
    {
        // platform
        ["GET /health/ready"] = Level.Public,
        ["GET /openapi/{documentName}.json"] = Level.Public,
        ["POST /api/keys/"] = Level.PlatformAdmin,
        ["GET /api/keys/"] = Level.PlatformAdmin,
        ["DELETE /api/keys/{id:guid}"] = Level.PlatformAdmin,
        ["POST /api/privacy/forget"] = Level.PlatformAdmin,
        // catalog, editions, agenda
        ["POST /api/series/"] = Level.SeriesAdmin,
        ["GET /api/series/"] = Level.Public,
        ["GET /api/series/{slug}"] = Level.Public,
        ["PATCH /api/series/{slug}"] = Level.SeriesAdmin,
        ["POST /api/series/{slug}/organizers"] = Level.SeriesAdmin,
        ["POST /api/series/{slug}/editions"] = Level.SeriesAdmin,
        ["GET /api/editions/{id:guid}/"] = Level.Public,
        ["GET /api/editions/{id:guid}/agenda"] = Level.Public,
        ["POST /api/editions/{id:guid}/next"] = Level.SeriesAdmin,
        ["PUT /api/editions/{id:guid}/dates"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/announce"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/cancel"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/conclude"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/registration/open"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/registration/close"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/organizers"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/talks"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/breaks"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/poster-sessions"] = Level.SeriesAdmin,
        ["PUT /api/editions/{id:guid}/talks/{talkId:guid}/slot"] = Level.SeriesAdmin,
        ["PATCH /api/editions/{id:guid}/talks/{talkId:guid}"] = Level.SeriesAdmin,
        ["DELETE /api/editions/{id:guid}/talks/{talkId:guid}"] = Level.SeriesAdmin,
        ["GET /api/editions/{id:guid}/talks/{talkId:guid}"] = Level.Public,
        ["GET /api/editions/{id:guid}/posters/"] = Level.Public,
        ["POST /api/editions/{id:guid}/posters/"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/posters/{posterId:guid}/prizes"] = Level.SeriesAdmin,
        ["GET /api/editions/{id:guid}/breakouts/"] = Level.Public,
        ["GET /api/editions/{id:guid}/breakouts/{breakoutId:guid}/participants"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/breakouts/"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/breakouts/{breakoutId:guid}/participants"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/breakouts/{breakoutId:guid}/close"] = Level.SeriesAdmin,
        // registration: attendees register themselves and read their own link
        ["POST /api/editions/{id:guid}/registrations/"] = Level.Public,
        ["GET /api/editions/{id:guid}/registrations/"] = Level.SeriesAdmin,
        ["GET /api/editions/{id:guid}/registrations/{registrationId:guid}/access"] = Level.Public,
        ["DELETE /api/editions/{id:guid}/registrations/{registrationId:guid}"] = Level.SeriesAdmin,
        ["POST /api/editions/{id:guid}/registrations/{registrationId:guid}/check-in"] = Level.SeriesAdmin,
        // exports
        ["GET /api/editions/{id:guid}/schedule.xml"] = Level.Public,
        ["GET /api/editions/{id:guid}/schedule.json"] = Level.Public,
        ["GET /api/editions/{id:guid}/calendar.ics"] = Level.Public,
        ["GET /api/series/{slug}/calendar.ics"] = Level.Public,
        // historians
        ["GET /api/catalog"] = Level.Public,
        ["GET /api/series/{slug}/timeline"] = Level.Public,
        ["GET /api/search"] = Level.Public,
        ["GET /api/stats"] = Level.Historian,
        ["GET /api/series/{slug}/stats"] = Level.Historian,
        ["GET /api/editions/{id:guid}/history"] = Level.Historian,
        ["GET /api/people/"] = Level.Historian,
        ["GET /api/people/{id:guid}"] = Level.Historian,
        ["POST /api/people/merges"] = Level.PlatformAdmin,
        ["POST /api/editions/{id:guid}/releases/"] = Level.SeriesAdmin,
        ["GET /api/editions/{id:guid}/releases/"] = Level.Public,
        ["GET /api/editions/{id:guid}/releases/{n:int}/agenda"] = Level.Public,
        ["GET /api/editions/{id:guid}/releases/{n:int}/schedule.xml"] = Level.Public,
        ["GET /api/editions/{id:guid}/releases/{n:int}/schedule.json"] = Level.Public,
        ["GET /api/editions/{id:guid}/releases/{n:int}/calendar.ics"] = Level.Public,
        ["GET /api/admin/projections/"] = Level.PlatformAdmin,
        ["POST /api/admin/projections/{name}/rebuild"] = Level.PlatformAdmin,
        ["GET /api/admin/projections/dead-letters"] = Level.PlatformAdmin,
        ["POST /api/admin/projections/dead-letters/{id:long}/retry"] = Level.PlatformAdmin,
        // integrations
        ["GET /api/feed/"] = Level.Integration,
        ["GET /api/feed/live"] = Level.Integration,
        ["POST /api/webhooks/"] = Level.Integration,
        ["GET /api/webhooks/"] = Level.Integration,
        ["GET /api/webhooks/{id:guid}"] = Level.Integration,
        ["POST /api/webhooks/{id:guid}/pause"] = Level.Integration,
        ["POST /api/webhooks/{id:guid}/resume"] = Level.Integration,
        ["DELETE /api/webhooks/{id:guid}"] = Level.Integration,
        ["GET /api/webhooks/{id:guid}/deliveries"] = Level.Integration,
        ["GET /api/webhooks/{id:guid}/dead-letters"] = Level.Integration,
        ["POST /api/webhooks/{id:guid}/dead-letters/{deadLetterId:guid}/replay"] = Level.AnyAdmin,
    };

    private sealed record Caller(string Name, HttpClient Client);

    [Fact]
    public async Task Every_endpoint_answers_each_kind_of_caller_as_its_policy_says()
    {
        var endpoints = server.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Route: e.RoutePattern.RawText ?? "")))
            .Where(e => e.Method != "HEAD")
            .Distinct().ToList();
        var unclassified = endpoints.Select(Key).Where(k => !Decisions.ContainsKey(k) && !IsPage(k)).ToList();
        Assert.True(unclassified.Count == 0, "Endpoints without an access decision in this test:\n" + string.Join("\n", unclassified));
        var stale = Decisions.Keys.Except(endpoints.Select(Key)).ToList();
        Assert.True(stale.Count == 0, "Decisions for endpoints that no longer exist:\n" + string.Join("\n", stale));

        var admin = server.Admin();
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        var otherSlug = "s" + Guid.NewGuid().ToString("N")[..10];
        await admin.Post("/api/series", new { slug, name = "Access" }).Expect(201);
        await admin.Post("/api/series", new { slug = otherSlug, name = "Other" }).Expect(201);
        var edition = (await admin.Post($"/api/series/{slug}/editions", new { title = "E", startDate = "2022-08-08", endDate = "2022-08-09",
            timeZone = "America/New_York", format = "inPerson" }).Expect(201)).GetProperty("id").GetString()!;
        async Task<HttpClient> KeyFor(string role, string? series = null) =>
            server.WithKey((await admin.Post("/api/keys", new { name = role, role, series }).Expect(201)).GetProperty("key").GetString()!);
        var callers = new[]
        {
            new Caller("anonymous", server.Anonymous()),
            new Caller("historian", await KeyFor("historian")),
            new Caller("integration", await KeyFor("integration")),
            new Caller("admin of another series", await KeyFor("admin", otherSlug)),
            new Caller("admin", admin), // last: its writes are real
        };

        var failures = new List<string>();
        foreach (var caller in callers)
            foreach (var (method, route) in endpoints.Where(e => !IsPage(Key(e))))
            {
                var level = Decisions[Key((method, route))];
                var url = Fill(route, slug, edition);
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method is "POST" or "PUT" or "PATCH")
                    request.Content = new StringContent(route == "/api/series/" ? $$"""{"slug":"{{"n" + Guid.NewGuid().ToString("N")[..10]}}","name":"N"}""" : "{}",
                        Encoding.UTF8, "application/json");
                using var response = await caller.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                var status = (int)response.StatusCode;
                var expected = Expect(level, caller.Name, route);
                var ok = expected switch
                {
                    401 or 403 => status == expected,
                    _ => status is not (401 or 403) && status < 500,
                };
                if (!ok) failures.Add($"{caller.Name,-24} {method,-6} {url}: {status} (expected {(expected == 0 ? "allowed" : expected.ToString())})");
            }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// 0 = allowed (not 401/403, not 5xx). An admin key of another series reads what historians and
    /// integrations may, except on routes that name this test's series or edition.
    /// </summary>
    private static int Expect(Level level, string caller, string route) => (level, caller) switch
    {
        (Level.Public, _) => 0,
        (_, "anonymous") => 401,
        (_, "admin") => 0,
        (Level.Historian or Level.Integration, "admin of another series") when NamesSeries(route) => 403,
        (Level.Historian, "historian" or "admin of another series") => 0,
        (Level.Integration, "integration" or "admin of another series") => 0,
        (Level.AnyAdmin, "admin of another series") => 0,
        _ => 403,
    };

    private static bool NamesSeries(string route) => route.StartsWith("/api/series/{slug}", StringComparison.Ordinal)
        || route.StartsWith("/api/editions/{id:guid}", StringComparison.Ordinal);

    private static string Key((string Method, string Route) e) => $"{e.Method} {e.Route}";

    // Web pages are covered by the page tests (cookie sign-in, antiforgery); the API is walked here.
    private static bool IsPage(string key) => !key.Contains(" /api/") && !key.Contains(" /health") && !key.Contains(" /openapi");

    private static string Fill(string route, string slug, string edition)
    {
        var url = route.Replace("{slug}", slug).Replace("{id:guid}", edition).Replace("{documentName}", "v1").Replace("{n:int}", "1").Replace("{id:long}", "1");
        while (url.IndexOf('{') is var i and >= 0)
        {
            var j = url.IndexOf('}', i);
            var name = url[(i + 1)..j];
            url = url[..i] + (name.Contains(":int") ? "1" : name.Contains(":guid") ? Guid.NewGuid().ToString() : "history_catalog") + url[(j + 1)..];
        }
        return url;
    }
}
