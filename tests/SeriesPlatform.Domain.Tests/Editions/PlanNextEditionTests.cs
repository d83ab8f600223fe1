using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Editions;

public class PlanNextEditionTests
{
    private static readonly Guid Next = Guid.Parse("22222222-2222-2222-2222-222222222222");

    /// <summary>string_data 2018, Munich: 26-29 March (summer time since the 25th).</summary>
    private static Given<EditionState> StringData2018()
    {
        var g = Given.Edition(Planned("Europe/Berlin", new DateOnly(2018, 3, 26), new DateOnly(2018, 3, 29),
            capacity: 80, title: "string_data 2018"));
        g.When(Talk(Guid.NewGuid(), Local(2018, 3, 26, 9, 15), 45, room: "ASC", title: "Opening", kind: TalkKind.Keynote,
            speakers: new SpeakerRef("Sven Krippendorf", "LMU Munich")));
        g.When(new ScheduleBreak(Guid.NewGuid(), BreakKind.Coffee, "Coffee", null, Local(2018, 3, 26, 10, 0), 30, null));
        var cancelled = Guid.NewGuid();
        g.When(Talk(cancelled, Local(2018, 3, 26, 11, 0), 30));
        g.When(new CancelTalk(cancelled));
        g.When(new SchedulePosterSession(Guid.NewGuid(), "Posters", null, Local(2018, 3, 27, 16, 0), 60, null, "https://example.org/signup"));
        g.When(Talk(Guid.NewGuid(), null, title: "Hackathon", kind: TalkKind.Hackathon, day: new DateOnly(2018, 3, 29)));
        return g;
    }

    [Fact]
    public void Shifts_dates_and_keeps_wall_clock_times_across_a_DST_difference()
    {
        var previous = StringData2018().State;
        // 2019-03-25 is before the 2019 switch (31 March): winter time, UTC+1.
        var events = new PlanNextEdition(Next, new DateOnly(2019, 3, 25)).Decide(previous, Now);

        var planned = Assert.IsType<EditionPlanned>(events[0]);
        Assert.Equal(Next, planned.EditionId);
        Assert.Equal(previous.Id, planned.PlannedFrom);
        Assert.Equal((new DateOnly(2019, 3, 25), new DateOnly(2019, 3, 28), 2019), (planned.StartDate!.Value, planned.EndDate!.Value, planned.Year!.Value));
        Assert.Equal("string_data 2019", planned.Title);
        Assert.Equal(("Europe/Berlin", 80, EditionFormat.InPerson), (planned.TimeZone, planned.Capacity!.Value, planned.Format));

        var talk = Assert.IsType<TalkScheduled>(events[1]);
        Assert.Equal(Local(2019, 3, 25, 9, 15), talk.StartLocal);
        Assert.Equal(new DateTimeOffset(2019, 3, 25, 8, 15, 0, TimeSpan.Zero), talk.StartUtc); // was 07:15Z in 2018
        Assert.Null(talk.Title);
        Assert.Empty(talk.Speakers);
        Assert.Equal((TalkKind.Keynote, "ASC", 45), (talk.Kind, talk.Room!, talk.DurationMinutes!.Value));

        Assert.Equal("Coffee", Assert.IsType<BreakScheduled>(events[2]).Label);
        var posters = Assert.IsType<PosterSessionScheduled>(events[3]);
        Assert.Null(posters.SignupUrl); // the sign-up form belongs to the old edition
        var hackathon = Assert.IsType<TalkScheduled>(events[4]);
        Assert.Equal(new DateOnly(2019, 3, 28), hackathon.Day);
        Assert.Equal(5, events.Count); // the cancelled talk is not copied
        Assert.Equal([1, 2, 3, 4], events.Skip(1).Select(e => e switch
        {
            TalkScheduled t => t.Order, BreakScheduled b => b.Order, PosterSessionScheduled p => p.Order, _ => 0,
        }));

        var next = EditionState.From(events);
        Assert.All(next.Items.Values, i => Assert.DoesNotContain(i.Id, previous.Items.Keys));
        Assert.True(next.Items.Values.First(i => i.Order == 1).DetailsToCome);
    }

    [Fact]
    public void Carries_over_the_editions_description_links_rules_parts_hours_and_breakouts_but_no_people()
    {
        var g = Given.Edition(Planned("Europe/Berlin", new DateOnly(2018, 3, 26), new DateOnly(2018, 3, 29), title: "string_data 2018") with
        {
            Number = 4, Description = "Strings meet data.", Links = [new Link("Website", "https://example.org/2018")], CodeOfConduct = "Be kind.",
            Parts = [new EditionPart(new DateOnly(2018, 3, 29), new DateOnly(2018, 3, 29), "Hackathon day")],
            DailyStart = new TimeOnly(9, 0), DailyEnd = new TimeOnly(18, 0),
        });
        g.When(new AddEditionOrganizer("Sven Krippendorf", "LMU Munich"));
        var (timed, open) = (Guid.NewGuid(), Guid.NewGuid());
        g.When(new OpenBreakout(timed, "ML4PS", new SpeakerRef("A facilitator"), 12, [new Link("Slack", "https://example.org/slack")],
            Local(2018, 3, 27, 14, 0), 60, ["Symmetries", "Flows"], "Bring questions.", null, "Room B"));
        g.When(new JoinBreakout(timed, "Ada"));
        g.When(new CloseBreakout(timed));
        g.When(new OpenBreakout(open, "Hallway track"));

        var events = new PlanNextEdition(Next, new DateOnly(2019, 3, 25)).Decide(g.State, Now);
        var next = EditionState.From(events);
        Assert.Equal((5, "Strings meet data.", "Be kind."), (next.Number!.Value, next.Description, next.CodeOfConduct));
        Assert.Equal([new Link("Website", "https://example.org/2018")], next.Links);
        Assert.Equal([new EditionPart(new DateOnly(2019, 3, 28), new DateOnly(2019, 3, 28), "Hackathon day")], next.Parts);
        Assert.Equal((new TimeOnly(9, 0), new TimeOnly(18, 0)), (next.DailyStart!.Value, next.DailyEnd!.Value));
        Assert.Empty(next.Organizers);

        Assert.Equal(2, next.Breakouts.Count);
        var copied = next.Breakouts[PlanNextEdition.DerivedId(Next, timed)];
        Assert.Equal(("ML4PS", 12, "Room B", "Bring questions."), (copied.Topic, copied.Capacity!.Value, copied.Room!, copied.Description!));
        Assert.Equal(["Symmetries", "Flows"], copied.Topics);
        Assert.Single(copied.Links);
        Assert.Equal(Local(2019, 3, 26, 14, 0), copied.StartLocal);
        Assert.Equal(new DateTimeOffset(2019, 3, 26, 13, 0, 0, TimeSpan.Zero), copied.StartUtc); // winter time in 2019, summer time in 2018
        Assert.Null(copied.Facilitator);
        Assert.Empty(copied.Participants);
        Assert.False(copied.Closed);
        Assert.Null(next.Breakouts[PlanNextEdition.DerivedId(Next, open)].StartLocal);
    }

    [Fact]
    public void Is_deterministic()
    {
        var previous = StringData2018().State;
        var cmd = new PlanNextEdition(Next, new DateOnly(2019, 3, 25), "string_data 2019, Madrid?");
        Assert.Equal(Json.Serialize(cmd.Decide(previous, Now)), Json.Serialize(cmd.Decide(previous, Now)));
        Assert.Equal("string_data 2019, Madrid?", ((EditionPlanned)cmd.Decide(previous, Now)[0]).Title);
    }

    [Fact]
    public void Rejects_a_previous_edition_without_dates()
    {
        var g = Given.Edition(Planned("America/New_York", null, null, year: 2017, asStated: "2017"));
        g.Rejects(new PlanNextEdition(Next, new DateOnly(2018, 3, 26)), "edition-without-dates");
    }
}
