using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace SeriesPlatform.Server.Tests.Security;

/// <summary>
/// Sends malformed JSON, wrong types, impossible dates, unknown zones, control characters,
/// injection strings and huge payloads to every API endpoint that reads a JSON body, as an admin
/// and against real resources: only 4xx answers, and nothing is appended to the log.
/// </summary>
public sealed class HostileInputTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    // A valid body for every write endpoint that reads JSON. The test never sends these as they are:
    // it breaks one field at a time. A new write endpoint without an entry fails the test.
    private static readonly Dictionary<string, string> ValidBodies = new()
    {
        ["POST /api/keys/"] = """{"name":"k","role":"historian"}""",
        ["POST /api/privacy/forget"] = """{"email":"someone@example.org"}""",
        ["POST /api/series/"] = """{"slug":"new-series","name":"N","description":"D"}""",
        ["PATCH /api/series/{slug}"] = """{"name":"N2","description":"D2","codeOfConduct":"Be kind"}""",
        ["POST /api/series/{slug}/organizers"] = """{"name":"O","affiliation":"A","orcid":"0000-0002-1825-0097","role":"chair"}""",
        ["POST /api/series/{slug}/editions"] = """{"title":"T","startDate":"2023-08-08","endDate":"2023-08-09","timeZone":"Europe/Rome","format":"inPerson","capacity":10,"venue":{"name":"V","city":"C","country":"I"}}""",
        ["POST /api/editions/{id:guid}/next"] = """{"startDate":"2023-08-07","title":"Next"}""",
        ["PUT /api/editions/{id:guid}/dates"] = """{"startDate":"2022-08-08","endDate":"2022-08-10"}""",
        ["POST /api/editions/{id:guid}/cancel"] = """{"reason":"weather"}""",
        ["POST /api/editions/{id:guid}/organizers"] = """{"name":"O","affiliation":"A"}""",
        ["POST /api/editions/{id:guid}/talks"] = """{"title":"T","abstract":"A","speakers":[{"name":"S","affiliation":"A"}],"start":"2022-08-09T10:00","durationMinutes":30,"room":"R","kind":"invited"}""",
        ["POST /api/editions/{id:guid}/breaks"] = """{"kind":"coffee","label":"Coffee","start":"2022-08-09T11:00","durationMinutes":30,"room":"R2"}""",
        ["POST /api/editions/{id:guid}/poster-sessions"] = """{"title":"P","start":"2022-08-09T12:00","durationMinutes":30,"room":"R3","signupUrl":"https://example.org/signup"}""",
        ["PUT /api/editions/{id:guid}/talks/{talkId:guid}/slot"] = """{"start":"2022-08-09T13:00","durationMinutes":30,"room":"R4"}""",
        ["PATCH /api/editions/{id:guid}/talks/{talkId:guid}"] = """{"title":"T2","abstract":"A2","speakers":[{"name":"S2"}]}""",
        ["POST /api/editions/{id:guid}/posters/"] = """{"title":"P","authors":[{"name":"A"}]}""",
        ["POST /api/editions/{id:guid}/posters/{posterId:guid}/prizes"] = """{"prize":"Best poster"}""",
        ["POST /api/editions/{id:guid}/breakouts/"] = """{"topic":"T","capacity":5,"links":[{"label":"Slack","url":"https://example.org/slack"}],"start":"2022-08-09T14:00","durationMinutes":30,"room":"R5"}""",
        ["POST /api/editions/{id:guid}/breakouts/{breakoutId:guid}/participants"] = """{"name":"P"}""",
        ["POST /api/editions/{id:guid}/registrations/"] = """{"name":"N","email":"new@example.org","affiliation":"A"}""",
        ["POST /api/editions/{id:guid}/releases/"] = """{"note":"first"}""",
        ["POST /api/people/merges"] = """{"sourceId":"00000000-0000-0000-0000-000000000001","targetId":"00000000-0000-0000-0000-000000000002","reason":"same person"}""",
        ["POST /api/webhooks/"] = """{"url":"http://127.0.0.1:9/hook","types":["org.seriesplatform.talk.scheduled.v1"]}""",
    };

    // Fields with a format: here injection strings are invalid input. In free text they are just text.
    private static readonly HashSet<string> Typed =
    [
        "slug", "email", "orcid", "startDate", "endDate", "timeZone", "format", "start", "day", "kind", "url", "signupUrl",
        "sourceId", "targetId", "registrationId", "sessionId", "types",
    ];

    private static readonly string[] Injections =
        ["'; drop table events; --", "<script>alert(1)</script>", "2022-02-30T25:61", "Mars/Olympus_Mons", "../../etc/passwd", "${jndi:ldap://x}"];

    /// <summary>Malformed and oversized bodies, then each field of the valid body broken in turn.</summary>
    private static IEnumerable<(string Name, string Body)> Corpus(string valid)
    {
        yield return ("malformed JSON", valid[..(valid.Length / 2)]);
        yield return ("an array instead of an object", "[" + valid + "]");
        yield return ("a huge payload", "{\"note\":\"" + new string('x', 2 * 1024 * 1024) + "\"}");
        var obj = System.Text.Json.Nodes.JsonNode.Parse(valid)!.AsObject();
        foreach (var (field, value) in obj.ToList())
        {
            foreach (var (kind, hostile) in Hostile(field, value))
            {
                var broken = System.Text.Json.Nodes.JsonNode.Parse(valid)!.AsObject();
                broken[field] = hostile;
                yield return ($"{field} = {kind}", broken.ToJsonString());
            }
        }
    }

    private static IEnumerable<(string Kind, System.Text.Json.Nodes.JsonNode? Value)> Hostile(string field, System.Text.Json.Nodes.JsonNode? value)
    {
        switch (value?.GetValueKind())
        {
            case System.Text.Json.JsonValueKind.String:
                yield return ("a number", 42);
                yield return ("control characters", "a\u0000b\u0007");
                yield return ("a 20k string", new string('x', 20_000));
                if (Typed.Contains(field)) foreach (var s in Injections) yield return ($"'{s}'", s);
                break;
            case System.Text.Json.JsonValueKind.Number:
                yield return ("a string", "ten");
                yield return ("negative", -5);
                yield return ("huge", 1e15);
                break;
            case System.Text.Json.JsonValueKind.Array:
                yield return ("a string", "x");
                yield return ("a list of 5000", new System.Text.Json.Nodes.JsonArray(Enumerable.Range(0, 5000).Select(_ => (System.Text.Json.Nodes.JsonNode?)"x").ToArray()));
                if (Typed.Contains(field)) yield return ("injection", new System.Text.Json.Nodes.JsonArray("'; drop table events; --"));
                break;
            case System.Text.Json.JsonValueKind.Object:
                yield return ("a string", "x");
                break;
        }
    }

    /// <summary>
    /// Input the database cannot take or the code did not expect, in places the body checks do not
    /// cover: a NUL in a query parameter (PostgreSQL text cannot hold one), nulls inside a webhook's
    /// filter lists, and an agenda page asked for a moment at the ends of the calendar. Each was a 500.
    /// </summary>
    [Fact]
    public async Task Nul_characters_in_queries_null_filter_entries_and_moments_off_the_calendar_are_400s()
    {
        var admin = server.Admin();
        foreach (var url in new[] { "/api/search?q=ab%00cd", "/api/search?q=abc&series=a%00b", "/api/people?name=%00ab", "/api/stats?series=%00", "/search?q=ab%00" })
        {
            using var response = await admin.GetAsync(url);
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode}");
        }
        foreach (var (field, body) in new[] { ("types", """{"url":"http://127.0.0.1:9/hook","types":[null]}"""), ("series", """{"url":"http://127.0.0.1:9/hook","series":[null]}""") })
            Assert.True((await admin.Post("/api/webhooks", body).Expect(400, "application/problem+json")).GetProperty("errors").TryGetProperty(field, out _));

        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        await admin.Post("/api/series", new { slug, name = "Moments" }).Expect(201);
        var edition = (await admin.Post($"/api/series/{slug}/editions", new { title = "E", startDate = "2022-08-08", endDate = "2022-08-09",
            timeZone = "America/New_York", format = "inPerson" }).Expect(201)).GetProperty("id").GetString()!;
        foreach (var asOf in new[] { "0001-01-01T00:00", "9999-12-31T20:00" })
        {
            using var page = await server.Anonymous().GetAsync($"/editions/{edition}?asOf={asOf}");
            Assert.True(page.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{asOf}: {(int)page.StatusCode}");
        }
    }

    /// <summary>
    /// Dates at the ends of the calendar are refused with a 400 naming the field; times beyond them a
    /// 4xx; and an edition at the edges of what is allowed, in zones either side of UTC, still gives
    /// its agenda and every export (a day or an offset added there overflowed into a 500 before).
    /// </summary>
    [Fact]
    public async Task Dates_at_the_ends_of_the_calendar_are_refused_and_the_widest_allowed_edition_still_exports()
    {
        var admin = server.Admin();
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        await admin.Post("/api/series", new { slug, name = "Edges" }).Expect(201);
        async Task<string> Plan(string start, string end, string zone) => (await admin.Post($"/api/series/{slug}/editions",
            new { title = "E", startDate = start, endDate = end, timeZone = zone, format = "inPerson" }).Expect(201)).GetProperty("id").GetString()!;
        void Names(System.Text.Json.JsonElement problem, string field) => Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());

        foreach (var date in new[] { "9999-12-31", "0001-01-01", "0999-12-31" })
            Names(await admin.Post($"/api/series/{slug}/editions", new { title = "E", startDate = date, endDate = date, timeZone = "UTC", format = "inPerson" })
                .Expect(400, "application/problem+json"), "startDate");
        var late = await Plan("9998-12-25", "9998-12-31", "America/New_York");
        var early = await Plan("1000-01-01", "1000-01-02", "Pacific/Kiritimati");
        Names(await admin.Put($"/api/editions/{late}/dates", new { startDate = "9998-12-25", endDate = "9999-12-31" }).Expect(400, "application/problem+json"), "endDate");
        // An edition lasts at most a year: one from 1000 to 9998 made a 1.5 MB calendar that took seconds to write.
        Names(await admin.Post($"/api/series/{slug}/editions", new { title = "E", startDate = "1000-01-01", endDate = "9998-12-31", timeZone = "UTC", format = "inPerson" })
            .Expect(400, "application/problem+json"), "endDate");
        Names(await admin.Put($"/api/editions/{early}/dates", new { startDate = "1000-01-01", endDate = "1001-01-02" }).Expect(400, "application/problem+json"), "endDate");
        await admin.Put($"/api/editions/{early}/dates", new { startDate = "1000-01-01", endDate = "1001-01-01" }).Expect(200);
        await admin.Put($"/api/editions/{early}/dates", new { startDate = "1000-01-01", endDate = "1000-01-02" }).Expect(200);
        foreach (var start in new[] { "9999-12-31", "0001-01-01" })
            Names(await admin.Post($"/api/editions/{late}/next", new { startDate = start }).Expect(400, "application/problem+json"), "startDate");
        var tooLate = await admin.Post($"/api/editions/{late}/next", new { startDate = "9998-12-30" }).Expect(422, "application/problem+json");
        Assert.Equal("dates-out-of-range", tooLate.GetProperty("code").GetString());

        foreach (var (edition, start) in new[] { (late, "9999-12-31T23:30"), (early, "0001-01-01T00:15"), (late, "0001-01-01T00:15") })
        {
            using var response = await admin.Post($"/api/editions/{edition}/talks", new { title = "Out", start, durationMinutes = 30 });
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{start}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        // The last evening allowed west of UTC ends in year 9999 in UTC; the first morning east of it began in year 999.
        await admin.Post($"/api/editions/{late}/talks", new { title = "Last talk", start = "9998-12-31T23:00", durationMinutes = 59 }).Expect(201);
        await admin.Post($"/api/editions/{early}/talks", new { title = "First talk", start = "1000-01-01T00:15", durationMinutes = 30 }).Expect(201);
        foreach (var edition in new[] { late, early })
        {
            await admin.GetAsync($"/api/editions/{edition}/agenda").Expect(200);
            foreach (var export in new[] { "calendar.ics", "schedule.json", "schedule.xml" })
                Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync($"/api/editions/{edition}/{export}")).StatusCode);
            await admin.Post($"/api/editions/{edition}/next", new { startDate = edition == late ? "9998-12-24" : "1000-01-01" }).Expect(201);
        }
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync($"/api/series/{slug}/calendar.ics")).StatusCode);
    }

    [Fact]
    public async Task Every_write_endpoint_refuses_hostile_bodies_with_4xx_and_appends_nothing()
    {
        var admin = server.Admin();
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        await admin.Post("/api/series", new { slug, name = "Hostile" }).Expect(201);
        var edition = (await admin.Post($"/api/series/{slug}/editions", new { title = "E", startDate = "2022-08-08", endDate = "2022-08-09",
            timeZone = "America/New_York", format = "inPerson" }).Expect(201)).GetProperty("id").GetString()!;
        var talk = (await admin.Post($"/api/editions/{edition}/talks", new { title = "T", start = "2022-08-08T09:00", durationMinutes = 30 }).Expect(201))
            .GetProperty("id").GetString()!;
        var breakout = (await admin.Post($"/api/editions/{edition}/breakouts", new { topic = "B" }).Expect(201)).GetProperty("id").GetString()!;
        var session = (await admin.Post($"/api/editions/{edition}/poster-sessions", new { title = "P", start = "2022-08-08T15:00", durationMinutes = 60 }).Expect(201))
            .GetProperty("id").GetString()!;
        var poster = (await admin.Post($"/api/editions/{edition}/posters", new { sessionId = session, title = "Poster", authors = new[] { new { name = "A" } } })
            .Expect(201)).GetProperty("id").GetString()!;
        await admin.Post($"/api/editions/{edition}/registration/open", new { }).Expect(200);
        var registration = (await admin.Post($"/api/editions/{edition}/registrations", new { name = "R", email = "r@example.org" }).Expect(201))
            .GetProperty("id").GetString()!;

        var writes = server.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/") == true && e.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts
                        && accepts.ContentTypes.Any(t => t.Contains("json")))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m, Route: e.RoutePattern.RawText!)))
            .Where(e => e.Method is "POST" or "PUT" or "PATCH")
            .ToList();
        Assert.True(writes.Count >= 20, $"only {writes.Count} write endpoints with JSON bodies found");

        var before = await EventCountAsync();
        var failures = new List<string>();
        foreach (var (method, route) in writes)
        {
            var url = route.Replace("{slug}", slug).Replace("{id:guid}", edition).Replace("{talkId:guid}", talk).Replace("{breakoutId:guid}", breakout)
                .Replace("{posterId:guid}", poster).Replace("{registrationId:guid}", registration);
            Assert.True(ValidBodies.TryGetValue($"{method} {route}", out var valid), $"no valid body for {method} {route}: add one to the table");
            foreach (var (name, body) in Corpus(valid!))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                using var response = await admin.SendAsync(request);
                var status = (int)response.StatusCode;
                if (status is < 400 or >= 500) failures.Add($"{method} {url} with {name}: {status} {Truncate(await response.Content.ReadAsStringAsync())}");
                else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{method} {url} with {name}: {status} without problem+json");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await EventCountAsync());
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private async Task<long> EventCountAsync()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from events", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
