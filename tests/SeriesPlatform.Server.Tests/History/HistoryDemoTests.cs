using Microsoft.Extensions.DependencyInjection;
using SeriesPlatform.Server.Dataset;

namespace SeriesPlatform.Server.Tests.History;

/// <summary>The historian models over the demo series, imported through the command API.</summary>
public sealed class HistoryDemoTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var plan = DatasetImporter.Read(DemoDataTests.DemoFolder());
        await server.Factory.Services.GetRequiredService<DatasetImporter>().ImportAsync(plan);
        await server.CaughtUp();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_timeline_count_matches_the_inline_catalog()
    {
        var client = server.Anonymous();
        var catalog = await client.GetAsync("/api/catalog").Expect(200);
        Assert.True(catalog.GetArrayLength() >= 5);
        foreach (var s in catalog.EnumerateArray())
        {
            var slug = s.GetProperty("slug").GetString();
            var inline = (await client.GetAsync($"/api/series/{slug}").Expect(200)).GetProperty("editions").EnumerateArray()
                .ToDictionary(e => e.GetProperty("id").GetString()!);
            var timeline = (await client.GetAsync($"/api/series/{slug}/timeline").Expect(200)).GetProperty("editions").EnumerateArray().ToList();
            Assert.Equal(inline.Count, timeline.Count);
            foreach (var e in timeline)
            {
                var other = inline[e.GetProperty("id").GetString()!];
                foreach (var count in new[] { "talks", "posters", "breakouts", "attendees" })
                    Assert.Equal(other.GetProperty(count).GetInt32(), e.GetProperty(count).GetInt32());
                Assert.Equal(other.GetProperty("timeZone").GetString(), e.GetProperty("timeZone").GetString());
            }
        }
    }

    [Fact]
    public async Task A_historian_finds_the_tufts_talk_on_symmetries_and_its_speaker_with_the_affiliation_of_that_day()
    {
        var hits = (await server.Anonymous().GetAsync("/api/search?q=generative%20symmetries").Expect(200)).GetProperty("hits");
        Assert.True(hits.GetArrayLength() >= 2);
        var talk = hits.EnumerateArray().Single(h => h.GetProperty("title").GetString() == "Generative models with symmetries for physics");
        Assert.Equal("iaifi-summer-workshop", talk.GetProperty("edition").GetProperty("seriesSlug").GetString());

        var people = await server.Admin().GetAsync("/api/people?name=Racani%C3%A8re").Expect(200);
        var person = Assert.Single(people.EnumerateArray());
        var detail = await server.Admin().GetAsync($"/api/people/{person.GetProperty("id").GetString()}").Expect(200);
        var appearance = detail.GetProperty("appearances").EnumerateArray().Single(a => a.GetProperty("title").GetString() == talk.GetProperty("title").GetString());
        Assert.Equal(("speaker", "iaifi-summer-workshop", "2022-08-08"), (appearance.GetProperty("role").GetString(),
            appearance.GetProperty("seriesSlug").GetString(), appearance.GetProperty("day").GetString()));
    }

    [Fact]
    public async Task Statistics_cover_kinds_affiliations_recurring_speakers_and_topics_per_year()
    {
        var stats = await server.Admin().GetAsync("/api/stats").Expect(200);
        Assert.True(stats.GetProperty("talksPerKind").GetArrayLength() > 1);
        Assert.True(stats.GetProperty("speakersPerAffiliation").GetArrayLength() > 5);
        var years = stats.GetProperty("topicsPerYear").EnumerateArray().Select(y => y.GetProperty("year").GetInt32()).ToList();
        Assert.Contains(2022, years);
        Assert.Equal(years.Order(), years);
        var dlap = await server.Admin().GetAsync("/api/series/deep-learning-and-physics/stats").Expect(200);
        Assert.All(dlap.GetProperty("topicsPerYear").EnumerateArray(), y => Assert.InRange(y.GetProperty("year").GetInt32(), 2017, 2019));
        Assert.True(stats.GetProperty("talksPerKind").EnumerateArray().Sum(k => k.GetProperty("talks").GetInt32())
            > dlap.GetProperty("talksPerKind").EnumerateArray().Sum(k => k.GetProperty("talks").GetInt32()));
        await server.Anonymous().GetAsync("/api/stats").Expect(401, null);
    }
}
