using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests;

public class ValidationTests
{
    private static readonly Guid A = Guid.NewGuid();

    private static string[] Keys<T>(ICommand<T> c) where T : class, new() => [.. c.Validate().Keys.Order()];

    [Fact]
    public void A_good_talk_is_valid()
    {
        Assert.Empty(Talk(A, Local(2022, 8, 8, 9, 15), 45, speakers: new SpeakerRef("S", "A", "0000-0002-1825-0097", "Bio\twith\ttabs\nand lines")).Validate());
    }

    [Fact]
    public void Talk_fields_are_checked()
    {
        var c = new ScheduleTalk(Guid.Empty, new string('t', 301), new string('a', 10_001),
            [new SpeakerRef(""), new SpeakerRef("ok", Orcid: "1234")], new DateOnly(2022, 8, 9), Local(2022, 8, 8, 9, 0), 1441,
            "Room\u0007", (TalkKind)99);
        Assert.Equal(["abstract", "day", "durationMinutes", "kind", "room", "speakers[0].name", "speakers[1].orcid", "talkId", "title"], Keys(c));
    }

    [Fact]
    public void Duration_needs_a_start_and_must_be_positive()
    {
        Assert.Equal(["durationMinutes"], Keys(new ScheduleTalk(A, "T", null, [], null, null, 30, null)));
        Assert.Equal(["durationMinutes"], Keys(new ScheduleTalk(A, "T", null, [], null, Local(2022, 8, 8, 9, 0), 0, null)));
        Assert.Equal(["durationMinutes"], Keys(new RescheduleTalk(A, Local(2022, 8, 8, 9, 0), 0)));
    }

    [Fact]
    public void Local_times_must_not_carry_an_offset()
    {
        var utc = new DateTime(2022, 8, 8, 9, 0, 0, DateTimeKind.Utc);
        Assert.Equal(["startLocal"], Keys(new ScheduleTalk(A, "T", null, [], null, utc, 30, null)));
        Assert.Equal(["startLocal"], Keys(new RescheduleTalk(A, utc)));
        Assert.Equal(["startLocal"], Keys(new OpenBreakout(A, "Topic", StartLocal: utc)));
    }

    [Fact]
    public void Time_zones_must_be_IANA_ids()
    {
        var plan = new PlanEdition(A, "s", "T", null, null, 2017, null, null, "Eastern Standard Time", null, EditionFormat.Virtual);
        Assert.Equal(["timeZone"], Keys(plan));
        Assert.Empty((plan with { TimeZone = "Europe/Rome" }).Validate());
    }

    [Fact]
    public void Lists_are_capped_at_fifty()
    {
        var speakers = Enumerable.Range(0, 51).Select(i => new SpeakerRef($"S{i}")).ToArray();
        Assert.Equal(["speakers"], Keys(new ScheduleTalk(A, "T", null, speakers, null, null, null, null)));
        Assert.Equal(["authors"], Keys(new SubmitPoster(A, null, "T", speakers)));
    }

    [Fact]
    public void Control_characters_are_rejected_but_newlines_and_tabs_are_fine()
    {
        Assert.Equal(["title"], Keys(new ScheduleTalk(A, "Bad\0title", "ok\n\tok", [], null, null, null, null)));
        Assert.Equal(["title"], Keys(new ScheduleTalk(A, "   ", null, [], null, null, null, null))); // blank is not "to be announced"
    }

    [Fact]
    public void Other_commands_check_their_inputs()
    {
        Assert.Equal(["capacity", "links[0].url", "topic"], Keys(new OpenBreakout(A, "", null, 100_001, [new Link("L", "ftp://x")])));
        Assert.Equal(["participantName"], Keys(new JoinBreakout(A, "")));
        Assert.Equal(["prize"], Keys(new AwardPosterPrize(A, "")));
        Assert.Equal(["signupUrl"], Keys(new SchedulePosterSession(A, null, null, null, null, null, "not a url")));
        Assert.Equal(["kind"], Keys(new ScheduleBreak(A, (BreakKind)42, null, null, null, null, null)));
        Assert.Equal(["registrationId"], Keys(new CheckInAttendee(Guid.Empty)));
        Assert.Equal(["newEditionId"], Keys(new PlanNextEdition(Guid.Empty, new DateOnly(2023, 1, 1))));
    }
}
