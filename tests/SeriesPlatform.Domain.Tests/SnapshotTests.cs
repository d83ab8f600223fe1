using System.Text.Json;
using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests;

public class SnapshotTests
{
    /// <summary>An edition touched by every kind of event.</summary>
    public static EditionState RichEdition()
    {
        var g = Given.Edition(Tufts(capacity: 1) with
        {
            AlternativeDates = [new DateClaim(new DateOnly(2022, 8, 7), new DateOnly(2022, 8, 9), "flyer", "Aug 7-9")],
            DatesAsStated = "August 8-9, 2022",
        });
        var talk = Guid.NewGuid();
        var session = Guid.NewGuid();
        g.When(new AnnounceEdition());
        g.When(new AddEditionOrganizer("Jesse Thaler", "MIT", "0000-0002-1825-0097"));
        g.When(Talk(talk, Local(2022, 8, 8, 9, 15), 45, "Room 1", "Generative models", speakers: new SpeakerRef("Sébastien Racanière", "DeepMind", null, "Bio\nline two")));
        g.When(Talk(Guid.NewGuid(), null, title: null, day: new DateOnly(2022, 8, 9)));
        g.When(Talk(Guid.NewGuid(), null, title: "Keynote", kind: TalkKind.Keynote));
        var cancelled = Guid.NewGuid();
        g.When(new ScheduleBreak(cancelled, BreakKind.Coffee, "Coffee break", null, Local(2022, 8, 8, 10, 0), 30, null));
        g.When(new CancelTalk(cancelled, "no coffee"));
        g.When(new SchedulePosterSession(session, "Poster Session", null, Local(2022, 8, 8, 15, 45), 60, null, "https://forms.gle/pCfmXQPMDcjsyD7z9"));
        g.When(new RescheduleTalk(talk, Local(2022, 8, 8, 9, 20)));
        g.When(new ReviseTalkDetails(talk, Abstract: "Flows."));
        var poster = Guid.NewGuid();
        g.When(new SubmitPoster(poster, session, "A poster", [new SpeakerRef("Student", "Tufts")]));
        g.When(new AwardPosterPrize(poster, "Best poster"));
        var breakout = Guid.NewGuid();
        g.When(new OpenBreakout(breakout, "ML4PS", null, 10, [new Link("Slack", "https://example.org/slack")], Local(2022, 8, 9, 13, 0), 30));
        g.When(new OpenRegistration());
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        g.When(new RegisterAttendee(a, "Ada", "ada@example.org"));
        g.When(new RegisterAttendee(b, "Bob", "bob@example.org", "MIT"));
        g.When(new RegisterAttendee(c, "Cy", "cy@example.org"));
        g.When(new CancelRegistration(a));
        g.When(new CheckInAttendee(b));
        g.When(new JoinBreakout(breakout, "Bob", b));
        g.When(new CloseBreakout(breakout));
        return g.State;
    }

    [Fact]
    public void A_folded_edition_round_trips_through_System_Text_Json()
    {
        var state = RichEdition();
        state.Version = 42;
        var json = Json.Serialize(state);
        var back = JsonSerializer.Deserialize<EditionState>(json, Json.Options)!;
        Assert.Equal(json, Json.Serialize(back));
        Assert.Contains("\"format\":\"InPerson\"", json);
        Assert.Contains("\"status\":\"Announced\"", json);
        Assert.Contains("\"startLocal\":\"2022-08-08T09:20:00\"", json);

        Assert.Equal(42, back.Version);
        Assert.Equal(state.Items.Keys.Order(), back.Items.Keys.Order());
        Assert.Equal(state.Registrations.Select(r => (r.Id, r.Status, r.CheckedIn)), back.Registrations.Select(r => (r.Id, r.Status, r.CheckedIn)));
        Assert.Equal(state.AlternativeDates, back.AlternativeDates);
        Assert.Equal(DateTimeKind.Unspecified, back.Items.Values.First(i => i.StartLocal is not null).StartLocal!.Value.Kind);
        Assert.Equal(2, back.Items.Values.Count(i => i.DetailsToCome is false && i.Kind == AgendaItemKind.Talk));
        // A snapshot decides like the original.
        Assert.Equal(Json.Serialize(new CancelRegistration(Registrations(state)[1]).Decide(state, Now)),
            Json.Serialize(new CancelRegistration(Registrations(back)[1]).Decide(back, Now)));
    }

    /// <summary>
    /// Snapshots written before registrations dropped the sealed name, email and affiliation (they are
    /// read from the events now) still load: the extra fields are ignored and the rules see the same.
    /// </summary>
    [Fact]
    public void A_snapshot_that_still_holds_registrants_names_loads_and_decides_the_same()
    {
        var state = RichEdition();
        var json = System.Text.Json.Nodes.JsonNode.Parse(Json.Serialize(state))!;
        foreach (var registration in json["registrations"]!.AsArray())
        {
            registration!["name"] = "v1:c2VhbGVk";
            registration["email"] = "v1:YWxzbyBzZWFsZWQ=";
            registration["affiliation"] = null;
        }
        var old = JsonSerializer.Deserialize<EditionState>(json.ToJsonString(), Json.Options)!;
        Assert.Equal(Json.Serialize(state), Json.Serialize(old));
        Assert.Throws<RuleViolation>(() => new RegisterAttendee(Guid.NewGuid(), "Bob again", " BOB@example.org ").Decide(old, Now));
    }

    [Fact]
    public void A_series_round_trips_through_System_Text_Json()
    {
        var state = SeriesState.From([
            new SeriesCreated("physics-n-ml", "Physics n ML", "a virtual hub"),
            new SeriesRevised(null, null, [new Link("YouTube", "https://youtube.com/")], "Be kind."),
            new SeriesOrganizerAdded("Organizer", "Somewhere", null, "chair"),
        ]);
        var json = Json.Serialize(state);
        Assert.Equal(json, Json.Serialize(JsonSerializer.Deserialize<SeriesState>(json, Json.Options)!));
    }

    [Fact]
    public void Every_event_round_trips_through_System_Text_Json()
    {
        var events = new List<object>();
        var original = RichEdition();
        // Re-run the next-edition planning to get a broad set of events, plus those of the rich edition's fold.
        events.AddRange(new PlanNextEdition(Guid.NewGuid(), new DateOnly(2023, 8, 7)).Decide(original, Now));
        events.Add(new TalkRescheduled(Guid.NewGuid(), new DateOnly(2022, 8, 8), Local(2022, 8, 8, 9, 0), 30, "R", Now, Now.AddMinutes(30)));
        events.Add(new TalkDetailsRevised(Guid.NewGuid(), "T", null, [new SpeakerRef("S")]));
        events.Add(new RegistrationCancelled(Guid.NewGuid(), true, Now));
        events.Add(new BreakoutOpened(Guid.NewGuid(), "T", new SpeakerRef("F"), 3, [new Link("L", "https://x.org")], null, null, null, null));
        foreach (var e in events) Assert.Equal(Json.Serialize(e), Json.Serialize(Json.RoundTrip(e)));
    }

    private static Guid[] Registrations(EditionState s) => s.Registrations.Select(r => r.Id).ToArray();
}
