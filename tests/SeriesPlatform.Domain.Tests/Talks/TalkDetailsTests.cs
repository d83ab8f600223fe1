using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Talks;

public class TalkDetailsTests
{
    private static readonly Guid A = Guid.NewGuid();
    private static readonly SpeakerRef Krause = new("Claudius Krause", "Rutgers University");

    [Fact]
    public void A_talk_without_title_is_details_to_come_and_revising_fills_it_in()
    {
        var g = Given.Edition(Tufts());
        g.When(Talk(A, Local(2022, 8, 8, 10, 30), 45, title: null, speakers: Krause));
        Assert.True(g.State.Items[A].DetailsToCome);
        Assert.True(AgendaView.Build(g.State).Days[0].Items[0].DetailsToCome);

        var e = g.Single<TalkDetailsRevised>(new ReviseTalkDetails(A, "Normalizing flows for calorimeter showers"));
        Assert.Null(e.Abstract);
        Assert.Null(e.Speakers);
        Assert.False(g.State.Items[A].DetailsToCome);
        Assert.Equal("Claudius Krause", Assert.Single(g.State.Items[A].Speakers).Name);
    }

    [Fact]
    public void Revision_carries_only_changes_and_is_a_no_op_when_nothing_changes()
    {
        var g = Given.Edition(Tufts());
        g.When(Talk(A, null, title: "T", speakers: Krause));
        Assert.Empty(g.When(new ReviseTalkDetails(A, "T", null, [Krause])));
        var e = g.Single<TalkDetailsRevised>(new ReviseTalkDetails(A, "T", "An abstract", [Krause with { Affiliation = "Heidelberg" }]));
        Assert.Null(e.Title);
        Assert.Equal("An abstract", e.Abstract);
        Assert.Equal("Heidelberg", e.Speakers![0].Affiliation);
    }

    [Fact]
    public void Zero_speakers_are_allowed_for_placeholders_and_hackathons()
    {
        var g = Given.Edition(Planned("Europe/Berlin", new DateOnly(2018, 3, 26), new DateOnly(2018, 3, 29)));
        var e = g.Single<TalkScheduled>(new ScheduleTalk(A, "Hackathon", null, [], new DateOnly(2018, 3, 29), null, null, null, TalkKind.Hackathon));
        Assert.Empty(e.Speakers);
    }

    [Fact]
    public void Speakers_only_go_on_talks()
    {
        var g = Given.Edition(Tufts());
        var lunch = Guid.NewGuid();
        g.When(new ScheduleBreak(lunch, BreakKind.Lunch, "Lunch", null, Local(2022, 8, 8, 12, 0), 60, null));
        g.Rejects(new ReviseTalkDetails(lunch, Speakers: [Krause]), "not-a-talk");
        Assert.Equal("Lunch and posters", g.Single<TalkDetailsRevised>(new ReviseTalkDetails(lunch, "Lunch and posters")).Title);
        Assert.False(g.State.Items[lunch].DetailsToCome); // a break is never "details to come"
    }
}
