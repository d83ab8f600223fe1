using System.Net;
using System.Net.Http.Headers;
using SeriesPlatform.Domain.Tests.Exports;

namespace SeriesPlatform.Server.Tests.History;

public sealed class HistoryScenarioTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _admin = server.Admin();

    private async Task<(string Slug, string A, string B)> TwoEditions()
    {
        var slug = "s" + Guid.NewGuid().ToString("N")[..10];
        await _admin.Post("/api/series", new { slug, name = "Deep Learning and Physics" }).Expect(201);
        var a = await _admin.Post($"/api/series/{slug}/editions", new { title = "DLAP 2018", startDate = "2018-03-28", endDate = "2018-03-30",
            timeZone = "Asia/Tokyo", format = "inPerson", capacity = 1, venue = new { name = "YITP", city = "Kyoto", country = "Japan" } }).Expect(201);
        var b = await _admin.Post($"/api/series/{slug}/editions", new { title = "DLAP 2019", startDate = "2019-10-31", endDate = "2019-11-02",
            timeZone = "Asia/Tokyo", format = "inPerson" }).Expect(201);
        return (slug, a.GetProperty("id").GetString()!, b.GetProperty("id").GetString()!);
    }

    private async Task<string> Talk(string edition, string title, string start, params object[] speakers) =>
        (await _admin.Post($"/api/editions/{edition}/talks", new { title, speakers, start, durationMinutes = 30, kind = "invited",
            @abstract = $"An abstract about {title.ToLowerInvariant()}." }).Expect(201)).GetProperty("id").GetString()!;

    [Fact]
    public async Task The_same_name_without_orcid_stays_two_people_until_merged_and_an_orcid_makes_one_person()
    {
        var (slug, a, b) = await TwoEditions();
        var who = "Jane Roe " + Guid.NewGuid().ToString("N")[..6];
        const string orcid = "0000-0002-1825-0097";
        // An organizer of the series (no edition, no item) and one of an edition, queued with the talks' speakers.
        await _admin.Post($"/api/series/{slug}/organizers", new { name = "Org " + who, affiliation = "YITP" }).Expect(201);
        await _admin.Post($"/api/editions/{a}/organizers", new { name = "Org " + who, affiliation = "Kyoto University" }).Expect(201);
        await Talk(a, "Lattice QCD", "2018-03-28T10:00", new { name = who, affiliation = "RIKEN" }, new { name = "Ada " + who, affiliation = "CERN", orcid });
        await Talk(b, "Lattice QCD again", "2019-10-31T10:00", new { name = who, affiliation = "Osaka University" },
            new { name = "Ada " + who, affiliation = "Northeastern", orcid });
        await server.CaughtUp();

        var historian = _admin;
        var janes = await historian.GetAsync($"/api/people?name={Uri.EscapeDataString(who)}").Expect(200);
        var twoJanes = janes.EnumerateArray().Where(p => p.GetProperty("name").GetString() == who).ToList();
        Assert.Equal(2, twoJanes.Count);
        var ada = janes.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Ada " + who);
        var adaDetail = await historian.GetAsync($"/api/people/{ada.GetProperty("id").GetString()}").Expect(200);
        Assert.Equal(["CERN", "Northeastern"], adaDetail.GetProperty("appearances").EnumerateArray().Select(x => x.GetProperty("affiliation").GetString()));
        Assert.All(adaDetail.GetProperty("appearances").EnumerateArray(), x => Assert.Equal("speaker", x.GetProperty("role").GetString()));

        var organizer = (await historian.GetAsync($"/api/people?name={Uri.EscapeDataString("Org " + who)}").Expect(200)).EnumerateArray()
            .Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Equal(2, organizer.Count); // the series' and the edition's are not known to be one person
        var organizerRoles = new List<string?>();
        foreach (var id in organizer)
            organizerRoles.AddRange((await historian.GetAsync($"/api/people/{id}").Expect(200)).GetProperty("appearances").EnumerateArray()
                .Select(x => x.GetProperty("role").GetString() + " " + x.GetProperty("affiliation").GetString()));
        Assert.Equal(["organizer Kyoto University", "organizer YITP"], organizerRoles.Order());

        var source = twoJanes[0].GetProperty("id").GetString();
        var target = twoJanes[1].GetProperty("id").GetString();
        await _admin.Post("/api/people/merges", new { sourceId = source, targetId = target, reason = "same person, per her CV" }).Expect(202);
        await server.CaughtUp();
        var merged = (await historian.GetAsync($"/api/people?name={Uri.EscapeDataString(who)}").Expect(200))
            .EnumerateArray().Where(p => p.GetProperty("name").GetString() == who).ToList();
        var jane = Assert.Single(merged);
        Assert.Equal(2, jane.GetProperty("appearances").GetInt32());
        var viaOldId = await historian.GetAsync($"/api/people/{source}").Expect(200);
        Assert.Equal(target, viaOldId.GetProperty("person").GetProperty("id").GetString());
        Assert.Equal(["RIKEN", "Osaka University"], viaOldId.GetProperty("appearances").EnumerateArray().Select(x => x.GetProperty("affiliation").GetString()));

        await _admin.Post("/api/people/merges", new { sourceId = source, targetId = target }).Expect(422, "application/problem+json");
        await _admin.Post("/api/people/merges", new { sourceId = Guid.NewGuid(), targetId = target }).Expect(404, "application/problem+json");
        await _admin.Post("/api/people/merges", new { sourceId = source }).Expect(400, "application/problem+json");
        await _admin.Post("/api/people/merges", "{ nope").Expect(400, "application/problem+json");
        await server.Anonymous().Post("/api/people/merges", new { sourceId = source, targetId = target }).Expect(401, null);
        await server.Anonymous().GetAsync($"/api/people/{target}").Expect(401, null);
        await historian.GetAsync($"/api/people/{Guid.NewGuid()}").Expect(404, "application/problem+json");
        await historian.GetAsync("/api/people?name=x").Expect(400, "application/problem+json");
    }

    [Fact]
    public async Task Search_finds_talks_speakers_and_breakout_topics_ranked_with_their_edition_and_no_attendee_ever_appears()
    {
        var (slug, a, b) = await TwoEditions();
        var word = "zq" + Guid.NewGuid().ToString("N")[..8];
        await Talk(a, $"Renormalization group and {word} flows", "2018-03-28T10:00", new { name = "Koji Hashimoto", affiliation = "Osaka University" });
        await Talk(b, "Neural networks", "2019-10-31T10:00", new { name = $"Akinori {word}", affiliation = "Kyoto" });
        await _admin.Post($"/api/editions/{b}/breakouts", new { topic = $"Careers and {word} in physics" }).Expect(201);
        var cancelled = await Talk(b, $"Cancelled {word}", "2019-10-31T14:00");
        await _admin.DeleteAsync($"/api/editions/{b}/talks/{cancelled}").Expect(200);
        await _admin.Post($"/api/editions/{a}/registration/open", new { }).Expect(200);
        await _admin.Post($"/api/editions/{a}/registrations", new { name = $"Attendee {word}", email = $"{word}@example.org" }).Expect(201);
        await _admin.Post($"/api/editions/{a}/registrations", new { name = $"Second {word}", email = $"second{word}@example.org" }).Expect(201);
        await server.CaughtUp();

        var result = await server.Anonymous().GetAsync($"/api/search?q={word}").Expect(200);
        var hits = result.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(3, hits.Count);
        Assert.Equal(["talk", "breakout"], hits.Select(h => h.GetProperty("kind").GetString()).Distinct().Order().Reverse());
        Assert.All(hits, h => Assert.Equal(slug, h.GetProperty("edition").GetProperty("seriesSlug").GetString()));
        Assert.Contains(hits, h => h.GetProperty("edition").GetProperty("id").GetString() == a);
        var ranks = hits.Select(h => h.GetProperty("rank").GetDouble()).ToList();
        Assert.Equal(ranks.OrderByDescending(r => r), ranks);

        var timeline = await server.Anonymous().GetAsync($"/api/series/{slug}/timeline").Expect(200);
        var first = timeline.GetProperty("editions")[0];
        Assert.Equal(("DLAP 2018", "Kyoto", "Asia/Tokyo", 1, 1), (first.GetProperty("title").GetString(), first.GetProperty("city").GetString(),
            first.GetProperty("timeZone").GetString(), first.GetProperty("talks").GetInt32(), first.GetProperty("attendees").GetInt32()));
        var second = timeline.GetProperty("editions")[1];
        Assert.Equal((1, 1), (second.GetProperty("talks").GetInt32(), second.GetProperty("breakouts").GetInt32()));

        // Attendees' names and emails are in no historian model.
        Assert.Empty((await _admin.GetAsync($"/api/people?name=Attendee%20{word}").Expect(200)).EnumerateArray());
        var audit = await _admin.GetAsync($"/api/editions/{a}/history").Expect(200);
        Assert.DoesNotContain(word + "@example.org", audit.GetRawText());
        Assert.DoesNotContain("Attendee " + word, audit.GetRawText());
        await server.Anonymous().GetAsync("/api/search").Expect(400, "application/problem+json");
        await server.Anonymous().GetAsync($"/api/search?q={word}&limit=0").Expect(400, "application/problem+json");
        await server.Anonymous().GetAsync($"/api/series/nope-{word}/timeline").Expect(404, "application/problem+json");
    }

    [Fact]
    public async Task The_audit_history_says_what_changed_who_did_it_when_and_with_which_command()
    {
        var (_, a, _) = await TwoEditions();
        var talk = await Talk(a, "Symmetries", "2018-03-28T10:00");
        await _admin.Put($"/api/editions/{a}/talks/{talk}/slot", new { start = "2018-03-29T11:00" }).Expect(200);
        var history = await _admin.GetAsync($"/api/editions/{a}/history").Expect(200);
        var changes = history.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(["edition.planned", "talk.scheduled", "talk.rescheduled"], changes.Select(c => c.GetProperty("type").GetString()));
        Assert.Equal(["PlanEdition", "ScheduleTalk", "RescheduleTalk"], changes.Select(c => c.GetProperty("command").GetString()));
        Assert.All(changes, c => Assert.Equal("key:bootstrap", c.GetProperty("actor").GetString()));
        Assert.All(changes, c => Assert.True(c.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5)));
        Assert.Equal("2018-03-29T11:00:00", changes[2].GetProperty("data").GetProperty("startLocal").GetString());

        var page = await _admin.GetAsync($"/api/editions/{a}/history?after=1&limit=1").Expect(200);
        Assert.Equal(2, page.GetProperty("changes")[0].GetProperty("version").GetInt32());
        Assert.Equal(2, page.GetProperty("next").GetInt32());
        await server.Anonymous().GetAsync($"/api/editions/{a}/history").Expect(401, null);
        await _admin.GetAsync($"/api/editions/{Guid.NewGuid()}/history").Expect(404, "application/problem+json");
        await _admin.GetAsync($"/api/editions/{a}/history?limit=5000").Expect(400, "application/problem+json");
    }

    [Fact]
    public async Task Releases_are_numbered_with_changelogs_and_each_stays_readable_and_exportable_as_it_was()
    {
        var (_, a, _) = await TwoEditions();
        var keep = await Talk(a, "Old title", "2018-03-28T10:00");
        var move = await Talk(a, "Moving talk", "2018-03-28T11:00");
        var drop = await Talk(a, "Dropped talk", "2018-03-28T14:00");
        using (var created = await _admin.Post($"/api/editions/{a}/releases", new { note = "first programme" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal($"/api/editions/{a}/releases/1", created.Headers.Location?.ToString());
        }
        await _admin.Post($"/api/editions/{a}/releases", new { }).Expect(422, "application/problem+json");

        await _admin.Send(HttpMethod.Patch, $"/api/editions/{a}/talks/{keep}", new { title = "New title" }).Expect(200);
        await _admin.Put($"/api/editions/{a}/talks/{move}/slot", new { start = "2018-03-29T09:00" }).Expect(200);
        await _admin.DeleteAsync($"/api/editions/{a}/talks/{drop}").Expect(200);
        var added = await Talk(a, "Late addition", "2018-03-30T10:00");
        var second = await _admin.Post($"/api/editions/{a}/releases", new { }).Expect(201);
        Assert.Equal(2, second.GetProperty("version").GetInt32());

        var releases = (await server.Anonymous().GetAsync($"/api/editions/{a}/releases").Expect(200)).EnumerateArray().ToList();
        Assert.Equal([1, 2], releases.Select(r => r.GetProperty("version").GetInt32()));
        Assert.Equal("first programme", releases[0].GetProperty("note").GetString());
        var changes = releases[1].GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("change").GetString(), c.GetProperty("itemId").GetString())).ToList();
        Assert.Equal(4, changes.Count);
        Assert.Contains(("retitled", keep), changes);
        Assert.Contains(("moved", move), changes);
        Assert.Contains(("cancelled", drop), changes);
        Assert.Contains(("added", added), changes);

        var first = await server.Anonymous().GetAsync($"/api/editions/{a}/releases/1/agenda").Expect(200);
        var titles = first.GetProperty("agenda").GetProperty("days").EnumerateArray()
            .SelectMany(d => d.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("title").GetString()).ToList();
        Assert.Equal(["Old title", "Moving talk", "Dropped talk"], titles);

        var xml = await server.Anonymous().GetStringAsync($"/api/editions/{a}/releases/1/schedule.xml");
        Assert.Equal(xml, await server.Anonymous().GetStringAsync($"/api/editions/{a}/releases/1/schedule.xml"));
        Assert.Contains("<version>1</version>", xml);
        Assert.Contains("Dropped talk", xml);
        var (valid, output) = SchemaValidators.ValidateXml(xml);
        Assert.True(valid, output);
        var json = await server.Anonymous().GetStringAsync($"/api/editions/{a}/releases/2/schedule.json");
        Assert.DoesNotContain("Dropped talk", json);
        var (jsonValid, jsonOutput) = SchemaValidators.ValidateJson(json);
        Assert.True(jsonValid, jsonOutput);
        var ics = await server.Anonymous().GetStringAsync($"/api/editions/{a}/releases/2/calendar.ics");
        Assert.Contains("Late addition", ics);

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/editions/{a}/releases/1/agenda");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"release-1\""));
        using var notModified = await server.Anonymous().SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        await server.Anonymous().GetAsync($"/api/editions/{a}/releases/3/agenda").Expect(404, "application/problem+json");
        await server.Anonymous().GetAsync($"/api/editions/{Guid.NewGuid()}/releases").Expect(404, "application/problem+json");
        await server.Anonymous().Post($"/api/editions/{a}/releases", new { }).Expect(401, null);
    }

    [Fact]
    public async Task Admins_see_lag_rebuild_with_reads_up_and_manage_dead_letters()
    {
        var (slug, a, _) = await TwoEditions();
        await Talk(a, "Before the rebuild", "2018-03-28T10:00", new { name = "Rebuild Person" });
        await server.CaughtUp();
        var ready = await server.Anonymous().GetAsync("/health/ready").Expect(200);
        Assert.Equal(3, ready.GetProperty("projections").GetArrayLength());

        var status = await _admin.GetAsync("/api/admin/projections").Expect(200);
        Assert.All(status.EnumerateArray(), s => Assert.Equal(0, s.GetProperty("eventsBehind").GetInt64()));
        var generations = status.EnumerateArray().ToDictionary(s => s.GetProperty("projection").GetString()!, s => s.GetProperty("generation").GetInt32());

        var started = await _admin.Post("/api/admin/projections/all/rebuild", new { }).Expect(202);
        Assert.Equal(3, started.GetArrayLength());
        await server.Anonymous().GetAsync($"/api/series/{slug}/timeline").Expect(200); // reads stay up meanwhile
        await server.CaughtUp(rebuilds: true);
        var after = await _admin.GetAsync("/api/admin/projections").Expect(200);
        Assert.All(after.EnumerateArray(), s =>
        {
            Assert.Equal("live", s.GetProperty("status").GetString());
            Assert.Equal(generations[s.GetProperty("projection").GetString()!] + 1, s.GetProperty("generation").GetInt32());
        });
        var search = await server.Anonymous().GetAsync("/api/search?q=rebuild").Expect(200);
        Assert.Contains(search.GetProperty("hits").EnumerateArray(), h => h.GetProperty("edition").GetProperty("id").GetString() == a);

        Assert.Equal(0, (await _admin.GetAsync("/api/admin/projections/dead-letters").Expect(200)).GetArrayLength());
        await _admin.Post("/api/admin/projections/dead-letters/424242/retry", new { }).Expect(404, "application/problem+json");
        await _admin.Post("/api/admin/projections/nope/rebuild", new { }).Expect(404, "application/problem+json");
        await server.Anonymous().GetAsync("/api/admin/projections").Expect(401, null);
    }
}
