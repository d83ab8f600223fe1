using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SeriesPlatform.Domain.Tests.Exports;
using SeriesPlatform.Server.Dataset;

namespace SeriesPlatform.Server.Tests;

/// <summary>The seed workshop series, imported through the command API into a fresh database.</summary>
public sealed class DemoDataTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private ImportResult _first = null!;

    public static string DemoFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SeriesPlatform.sln"))) return Path.Combine(dir.FullName, "data", "demo");
        throw new InvalidOperationException("repository root not found");
    }

    public async Task InitializeAsync()
    {
        var importer = server.Factory.Services.GetRequiredService<DatasetImporter>();
        var plan = DatasetImporter.Read(DemoFolder());
        Assert.True(plan.Ok, string.Join("\n", plan.Errors));
        // Once per class: the fixture's database is shared by this class's tests.
        _first = await importer.ImportAsync(plan);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Importing_again_changes_nothing()
    {
        var before = await Count("events");
        var again = await server.Factory.Services.GetRequiredService<DatasetImporter>().ImportAsync(DatasetImporter.Read(DemoFolder()));
        Assert.Equal(0, again.Applied);
        Assert.Equal(again.Steps, again.AlreadyDone);
        Assert.Equal(before, await Count("events"));
        Assert.True(_first.Steps > 100);
    }

    [Fact]
    public async Task The_tufts_2022_agenda_has_the_0915_talk_on_monday_august_8_at_the_right_local_time()
    {
        var series = await server.Anonymous().GetAsync("/api/series/iaifi-summer-workshop").Expect(200);
        var edition = series.GetProperty("editions")[0].GetProperty("id").GetString();
        var agenda = await server.Anonymous().GetAsync($"/api/editions/{edition}/agenda").Expect(200);
        var monday = agenda.GetProperty("agenda").GetProperty("days").EnumerateArray().Single(d => d.GetProperty("date").GetString() == "2022-08-08");
        var talk = monday.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("startLocal").GetString() == "2022-08-08T09:15:00");
        Assert.Equal("Sébastien Racanière", talk.GetProperty("speakers")[0].GetProperty("name").GetString());
        Assert.Equal("Generative models with symmetries for physics", talk.GetProperty("title").GetString());
        Assert.Equal(DateTimeOffset.Parse("2022-08-08T13:15:00Z"), talk.GetProperty("startUtc").GetDateTimeOffset());
        Assert.Equal("2022-08-08T10:00:00", talk.GetProperty("endLocal").GetString());
    }

    [Fact]
    public async Task Kyoto_2019_has_its_eight_organizers()
    {
        var series = await server.Anonymous().GetAsync("/api/series/deep-learning-and-physics").Expect(200);
        var kyoto = series.GetProperty("editions").EnumerateArray().Single(e => e.GetProperty("startDate").GetString() == "2019-10-31");
        var edition = await server.Anonymous().GetAsync($"/api/editions/{kyoto.GetProperty("id").GetString()}").Expect(200);
        var organizers = edition.GetProperty("organizers").EnumerateArray().Select(o => o.GetProperty("personName").GetString()).ToList();
        Assert.Equal(8, organizers.Count);
        Assert.Contains("Koji Hashimoto", organizers);
    }

    [Fact]
    public async Task Every_export_of_every_demo_edition_validates_against_the_public_schemas()
    {
        var client = server.Anonymous();
        var catalog = await client.GetAsync("/api/series").Expect(200);
        var checkedEditions = 0;
        foreach (var s in catalog.EnumerateArray())
        {
            var series = await client.GetAsync($"/api/series/{s.GetProperty("slug").GetString()}").Expect(200);
            foreach (var e in series.GetProperty("editions").EnumerateArray())
            {
                var id = e.GetProperty("id").GetString();
                var xml = await client.GetStringAsync($"/api/editions/{id}/schedule.xml");
                var (xmlOk, xmlOut) = SchemaValidators.ValidateXml(xml);
                Assert.True(xmlOk, $"schedule.xml of {id}: {xmlOut}");
                var json = await client.GetStringAsync($"/api/editions/{id}/schedule.json");
                var (jsonOk, jsonOut) = SchemaValidators.ValidateJson(json);
                Assert.True(jsonOk, $"schedule.json of {id}: {jsonOut}");
                var ics = await client.GetStringAsync($"/api/editions/{id}/calendar.ics");
                Assert.StartsWith("BEGIN:VCALENDAR\r\n", ics);
                checkedEditions++;
            }
            var seriesIcs = await client.GetAsync($"/api/series/{s.GetProperty("slug").GetString()}/calendar.ics");
            Assert.Equal(HttpStatusCode.OK, seriesIcs.StatusCode);
        }
        Assert.Equal(15, checkedEditions);
    }

    [Fact]
    public async Task Exports_answer_if_none_match_with_304()
    {
        var series = await server.Anonymous().GetAsync("/api/series/iaifi-summer-workshop").Expect(200);
        var id = series.GetProperty("editions")[0].GetProperty("id").GetString();
        using var first = await server.Anonymous().GetAsync($"/api/editions/{id}/calendar.ics");
        var again = new HttpRequestMessage(HttpMethod.Get, $"/api/editions/{id}/calendar.ics");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await server.Anonymous().SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Contains("DTSTART;TZID=America/New_York:20220808T091500", await first.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_broken_file_imports_nothing_and_says_where()
    {
        var dir = Directory.CreateTempSubdirectory("broken-dataset").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "broken.series"), """
            [source s1]
            file: x.txt

            [series broken-series]
            name: Broken
            source: s1

            [edition broken-2024]
            title: Broken 2024
            dates: 2024-05-01 .. 2024-05-02
            zone: Europe/Rome
            source: s1

            [talk]
            at: 2024-05-01 25:00-26:00
            title: Impossible time
            source: s1
            """);
        var before = await Count("events");
        var plan = DatasetImporter.Read(dir);
        Assert.False(plan.Ok);
        Assert.Contains(plan.Errors, e => e.File == "broken.series" && e.Line >= 14);
        var result = await server.Factory.Services.GetRequiredService<DatasetImporter>().ImportAsync(plan);
        Assert.Equal(0, result.Applied);
        Assert.Equal(before, await Count("events"));
        await server.Anonymous().GetAsync("/api/series/broken-series").Expect(404, "application/problem+json");
    }

    private async Task<long> Count(string table)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"select count(*) from {table}", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
