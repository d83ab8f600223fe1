using System.Text.Json;
using SeriesPlatform.Domain.Exports;
using static SeriesPlatform.Domain.Tests.Exports.ExportFixture;

namespace SeriesPlatform.Domain.Tests.Exports;

public class ScheduleJsonExportTests
{
    private static readonly string Text = ScheduleJsonExport.Render(Tufts(), Context);

    private static JsonElement Conference => JsonDocument.Parse(Text).RootElement.GetProperty("schedule").GetProperty("conference");

    private static IEnumerable<JsonElement> Events =>
        Conference.GetProperty("days").EnumerateArray()
            .SelectMany(d => d.GetProperty("rooms").EnumerateObject().SelectMany(r => r.Value.EnumerateArray()));

    private static JsonElement Event(Guid id) => Events.Single(e => e.GetProperty("guid").GetString() == id.ToString("D"));

    [Fact]
    public void Validates_against_the_voc_schedule_JSON_schema()
    {
        var (valid, output) = ValidateJson(Text);
        Assert.True(valid, "schema.json rejected schedule.json:\n" + output + "\n" + Text);
    }

    [Fact]
    public void The_schema_check_is_not_vacuous()
    {
        var broken = Text.Replace("\"daysCount\"", "\"days_count\"");
        var (valid, output) = ValidateJson(broken);
        Assert.False(valid, "ajv accepted a conference without daysCount");
        Assert.Contains("daysCount", output);
    }

    [Fact]
    public void Header_and_days()
    {
        var root = JsonDocument.Parse(Text).RootElement.GetProperty("schedule");
        Assert.Equal("live", root.GetProperty("version").GetString());
        Assert.Equal("https://series.example.org/", root.GetProperty("base_url").GetString());
        Assert.Equal("iaifi_summer_workshop_2022", Conference.GetProperty("acronym").GetString());
        Assert.Equal("America/New_York", Conference.GetProperty("time_zone_name").GetString());
        Assert.Equal(2, Conference.GetProperty("daysCount").GetInt32());
        var days = Conference.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal([1, 2], days.Select(d => d.GetProperty("index").GetInt32()));
        Assert.Equal("2022-08-09", days[1].GetProperty("date").GetString());
        Assert.Equal(["Auditorium", "Joyce Cummings Center", "Atrium"],
            days[0].GetProperty("rooms").EnumerateObject().Select(r => r.Name));
        Assert.Equal("3", JsonDocument.Parse(ScheduleJsonExport.Render(Tufts(), Context with { Version = "3" }))
            .RootElement.GetProperty("schedule").GetProperty("version").GetString());
    }

    [Fact]
    public void Events_carry_times_types_and_people()
    {
        var e = Event(Equivariant);
        Assert.Equal("2022-08-08T09:15:00-04:00", e.GetProperty("date").GetString());
        Assert.Equal("2022-08-08T10:00:00-04:00", e.GetProperty("end").GetString());
        Assert.Equal("09:15", e.GetProperty("start").GetString());
        Assert.Equal("00:45", e.GetProperty("duration").GetString());
        Assert.Equal("invited", e.GetProperty("type").GetString());
        Assert.Equal(AccentedSpeaker, e.GetProperty("persons")[0].GetProperty("name").GetString());
        Assert.Equal("break", Event(Coffee).GetProperty("type").GetString());
        Assert.Equal("poster-session", Event(PosterSession).GetProperty("type").GetString());
        Assert.Equal("keynote", Event(Keynote).GetProperty("type").GetString());
        Assert.Equal("09:30", Event(Keynote).GetProperty("start").GetString());
        Assert.Equal("Details to come — Phiala Shanahan", Event(DetailsToCome).GetProperty("title").GetString());
        Assert.Equal(9, Events.Count());
        Assert.DoesNotContain(Events, x => x.GetProperty("guid").GetString() == Cancelled.ToString("D"));
        Assert.DoesNotContain(Events, x => x.GetProperty("guid").GetString() == Untimed.ToString("D"));
        Assert.Equal(Events.Count(), Events.Select(x => x.GetProperty("id").GetInt32()).Distinct().Count());
        Assert.Equal(Events.Count(), Events.Select(x => x.GetProperty("slug").GetString()).Distinct().Count());
    }

    [Fact]
    public void Hostile_text_stays_text()
    {
        Assert.DoesNotContain("<script>", Text);
        Assert.DoesNotContain("<img", Text);
        Assert.Equal(HostileTitle, Event(Hostile).GetProperty("title").GetString());
    }

    [Fact]
    public void Output_is_deterministic_even_after_a_snapshot_round_trip()
    {
        Assert.Equal(Text, ScheduleJsonExport.Render(Tufts(), Context));
        Assert.Equal(Text, ScheduleJsonExport.Render(Json.RoundTrip(Tufts()), Context));
    }

    [Fact]
    public void An_edition_without_timed_items_or_dates_still_validates()
    {
        var g = Given.Edition(Kit.Planned("Europe/Rome", null, null, year: 2019));
        var json = ScheduleJsonExport.Render(g.State, Context);
        var (valid, output) = ValidateJson(json);
        Assert.True(valid, output + "\n" + json);
    }
}
