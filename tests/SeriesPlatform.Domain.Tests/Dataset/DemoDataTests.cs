using SeriesPlatform.Domain.Dataset;

namespace SeriesPlatform.Domain.Tests.Dataset;

public class DemoDataTests
{
    internal static string DemoDir()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SeriesPlatform.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.Combine(dir!.FullName, "data", "demo");
    }

    internal static DatasetPlan ParseDemo() =>
        DatasetParser.Parse(Directory.GetFiles(DemoDir(), "*.series").Select(f => (Path.GetFileName(f), File.ReadAllText(f))));

    private static readonly DatasetPlan Plan = ParseDemo();

    private static Guid Edition(string id) => DatasetIds.Edition(id);

    private static IEnumerable<T> For<T>(string editionId) =>
        Plan.Steps.Where(s => s.StreamId == DatasetIds.EditionStream(Edition(editionId))).Select(s => s.Command).OfType<T>();

    [Fact]
    public void Demo_files_parse_without_errors()
    {
        Assert.True(Plan.Ok, string.Join("\n", Plan.Errors));
        Assert.Equal(5, Plan.Sources.Count);
        Assert.Equal("004_dfee0fa517a9cbc4.txt", Plan.Sources["seed-004"].File);
        Assert.All(Plan.Steps, s => Assert.Contains(s.SourceId, Plan.Sources.Keys));
    }

    [Fact]
    public void Iaifi_talk_is_local_time_with_duration_and_accented_speaker()
    {
        var plan = Assert.Single(For<PlanEdition>("iaifi-summer-workshop-2022"));
        Assert.Equal("America/New_York", plan.TimeZone);
        Assert.Equal(new DateOnly(2022, 8, 8), plan.StartDate);
        var talk = Assert.Single(For<ScheduleTalk>("iaifi-summer-workshop-2022"),
            t => t.StartLocal == new DateTime(2022, 8, 8, 9, 15, 0, DateTimeKind.Unspecified));
        Assert.Equal(45, talk.DurationMinutes);
        Assert.Equal("Sébastien Racanière", Assert.Single(talk.Speakers!).Name);
        Assert.Equal(DateTimeKind.Unspecified, talk.StartLocal!.Value.Kind);
        Assert.Equal(3, For<ScheduleTalk>("iaifi-summer-workshop-2022").Count(t => t.Title is null && t.Label is null)); // details to come
        Assert.Contains(For<SchedulePosterSession>("iaifi-summer-workshop-2022"), p => p.SignupUrl == "https://forms.gle/pCfmXQPMDcjsyD7z9");
        var yang = Assert.Single(For<ScheduleTalk>("iaifi-summer-workshop-2022"), t => t.Speakers!.Any(s => s.Name == "Greg Yang"));
        Assert.StartsWith("Greg Yang is a researcher", yang.Speakers![0].Bio);
    }

    [Fact]
    public void Kyoto_2019_has_eight_organizers()
    {
        var steps = Plan.Steps.Where(s => s.StreamId == DatasetIds.EditionStream(Edition("deep-learning-and-physics-2019"))).ToList();
        Assert.Equal(8, steps.Count(s => s.Command is AddEditionOrganizer));
        Assert.Equal("Koji Hashimoto", steps.Select(s => s.Command).OfType<AddEditionOrganizer>().First().PersonName);
    }

    [Fact]
    public void Mode_has_no_year_but_keeps_month_days()
    {
        var plan = Assert.Single(For<PlanEdition>("mode-workshop-4"));
        Assert.Null(plan.Year);
        Assert.Null(plan.StartDate);
        Assert.Null(plan.EndDate);
        Assert.Equal("--09-23 .. --09-25", plan.DatesWithoutYear);
        Assert.Equal(4, plan.Number);
        Assert.Equal("Between September 23 and 25 - just when summer is over", plan.DatesAsStated);
        Assert.Equal(new Venue("", "Valencia", "Spain"), plan.Venue);
        Assert.False(plan.TitleStated);
        Assert.Equal(3, For<ScheduleTalk>("mode-workshop-4").Count(t => t.Kind == TalkKind.Keynote && t.Day is null));
    }

    [Fact]
    public void Sanya_keeps_both_date_statements()
    {
        var plan = Assert.Single(For<PlanEdition>("tsinghua-ml-geometry-physics-2018"));
        Assert.Equal((new DateOnly(2018, 6, 10), new DateOnly(2018, 6, 15)), (plan.StartDate!.Value, plan.EndDate!.Value));
        var claim = Assert.Single(plan.AlternativeDates!);
        Assert.Equal((new DateOnly(2018, 6, 11), new DateOnly(2018, 6, 15)), (claim.StartDate, claim.EndDate));
        Assert.Equal("seed-003", claim.Source);
        Assert.Contains("11-15 June 2018", claim.Quote);
    }

    [Fact]
    public void Neurips_programme_keeps_its_order()
    {
        var items = Plan.Steps.Where(s => s.StreamId == DatasetIds.EditionStream(Edition("neurips-ml-physical-sciences-2019")))
            .Select(s => s.Command switch
            {
                ScheduleTalk t => t.Label ?? t.Title,
                ScheduleBreak b => b.Label,
                _ => null,
            }).OfType<string>().ToList();
        Assert.Equal(16, items.Count);
        Assert.Equal("Opening Remarks", items[0]);
        Assert.Equal("Invited Talk 1", items[1]);
        Assert.Equal("Morning Coffee Break & Poster Session", items[4]);
        Assert.Equal("Contributed Talk 6", items[^1]);

        // Folded, the stated order survives (all items share the day and have no time).
        var state = new EditionState();
        foreach (var s in Plan.Steps.Where(s => s.StreamId == DatasetIds.EditionStream(Edition("neurips-ml-physical-sciences-2019"))))
            foreach (var e in ((ICommand<EditionState>)s.Command).Decide(state, DatasetParser.FoldNow)) state.Evolve(e);
        var agenda = AgendaView.Build(state);
        var day = Assert.Single(agenda.Days);
        Assert.Equal("Opening Remarks", day.Items[0].Title);
        Assert.Equal("Invited Talk 1", state.Items[day.Items[1].Id].Label);
        Assert.Equal("Equivariant Hamiltonian Flows", day.Items[^1].Title);
    }

    [Fact]
    public void Wiml_meeting_url_is_private_and_nowhere_else()
    {
        var plan = Assert.Single(For<PlanEdition>("wiml-unworkshop-2022"));
        Assert.StartsWith("https://umontreal.zoom.us/j/87026523803", plan.VirtualMeetingUrl);
        Assert.Equal(2022, plan.Year);
        var others = Plan.Steps.Select(s => System.Text.Json.JsonSerializer.Serialize(s.Command, s.Command.GetType()))
            .Where(j => j.Contains("zoom.us", StringComparison.Ordinal)).ToList();
        Assert.Single(others); // only the PlanEdition carries it, in VirtualMeetingUrl
        Assert.DoesNotContain("zoom", plan.Description ?? "");
        var breakout = Assert.Single(For<OpenBreakout>("wiml-unworkshop-2022"));
        Assert.Equal(new DateTime(2022, 7, 18, 15, 25, 0), breakout.StartLocal);
        Assert.Equal(3, breakout.Topics!.Count);
    }

    [Fact]
    public void Partial_knowledge_is_not_filled_in()
    {
        var sd2017 = Assert.Single(For<PlanEdition>("string-data-2017"));
        Assert.Equal(2017, sd2017.Year);
        Assert.Null(sd2017.StartDate);
        Assert.False(sd2017.TimeZoneStated);
        Assert.False(sd2017.FormatStated);
        var louis = Assert.Single(For<ScheduleTalk>("physics-n-ml-2020"), t => t.Speakers!.Any(s => s.Name == "Ard Louis"));
        Assert.Null(louis.Day);
        Assert.Null(louis.StartLocal);
        Assert.Equal(new TimeOnly(12, 0), louis.StartTimeOfDay);
        Assert.Equal("0 3 / mma2020, 12:00 EDT", louis.DateAsStated);
        var cohen = Assert.Single(For<ScheduleTalk>("physics-n-ml-2020"), t => t.Speakers!.Any(s => s.Name == "Taco Cohen"));
        Assert.Null(cohen.DurationMinutes);
    }

    [Fact]
    public void Series_steps_come_before_their_editions()
    {
        var wiml = Plan.Steps.Where(s => s.StreamId == "series-wiml-unworkshop").Select(s => s.Command).ToList();
        Assert.IsType<CreateSeries>(wiml[0]);
        Assert.Single(Assert.IsType<ReviseSeries>(wiml[1]).Links!);
        var first = Plan.Steps.ToList().FindIndex(s => s.StreamId == "series-string-data");
        var edition = Plan.Steps.ToList().FindIndex(s => s.StreamId == DatasetIds.EditionStream(Edition("string-data-2018")));
        Assert.True(first < edition);
        Assert.DoesNotContain(Plan.Steps, s => s.Command is AnnounceEdition or OpenRegistration);
    }

    [Fact]
    public void Parsing_twice_gives_identical_ids()
    {
        var again = ParseDemo();
        Assert.Equal(Plan.Steps.Select(s => s.StepId), again.Steps.Select(s => s.StepId));
        Assert.Equal(Plan.Steps.Count, Plan.Steps.Select(s => s.StepId).Distinct().Count());
        var json = (IEnumerable<DatasetStep> steps) => steps.Select(s => System.Text.Json.JsonSerializer.Serialize(s.Command, s.Command.GetType()));
        Assert.Equal(json(Plan.Steps), json(again.Steps));
        // File order passed in does not matter.
        var reversed = DatasetParser.Parse(Directory.GetFiles(DemoDir(), "*.series").Reverse()
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f))));
        Assert.Equal(Plan.Steps.Select(s => s.StepId), reversed.Steps.Select(s => s.StepId));
    }
}
