using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests;

public class AgendaViewTests
{
    [Fact]
    public void Days_in_date_order_items_by_start_then_order_untimed_last_cancelled_left_out()
    {
        var g = Given.Edition(Tufts());
        var second = Guid.NewGuid();
        g.When(Talk(second, Local(2022, 8, 9, 9, 15), 45, title: "Machine Learning for formal theory",
            speakers: new SpeakerRef("Fabian Ruehle", "Northeastern University")));
        g.When(new ScheduleBreak(Guid.NewGuid(), BreakKind.Breakfast, "Breakfast is served", null, Local(2022, 8, 9, 8, 30), 30, null));
        g.When(Talk(Guid.NewGuid(), Local(2022, 8, 8, 9, 15), 45, title: "Generative models with symmetries for physics"));
        g.When(new ScheduleBreak(Guid.NewGuid(), BreakKind.Dinner, "Workshop Dinner", null, Local(2022, 8, 8, 18, 0), 120, null));
        g.When(new ScheduleBreak(Guid.NewGuid(), BreakKind.Breakfast, "Breakfast is served", null, Local(2022, 8, 8, 8, 30), 30, null));
        g.When(Talk(Guid.NewGuid(), null, title: "Day 2 discussion", kind: TalkKind.Discussion, day: new DateOnly(2022, 8, 9)));
        var gone = Guid.NewGuid();
        g.When(Talk(gone, Local(2022, 8, 8, 11, 15), 45));
        g.When(new CancelTalk(gone));
        g.When(Talk(Guid.NewGuid(), null, title: "Keynote: Andrea Walther", kind: TalkKind.Keynote));

        var view = AgendaView.Build(g.State);
        Assert.Equal([new DateOnly(2022, 8, 8), new DateOnly(2022, 8, 9)], view.Days.Select(d => d.Date));
        Assert.Equal(["Breakfast is served", "Generative models with symmetries for physics", "Workshop Dinner"], view.Days[0].Items.Select(i => i.Title));
        Assert.Equal(["Breakfast is served", "Machine Learning for formal theory", "Day 2 discussion"], view.Days[1].Items.Select(i => i.Title));
        Assert.Equal("Keynote: Andrea Walther", Assert.Single(view.Unscheduled).Title);
        Assert.DoesNotContain(view.Days.SelectMany(d => d.Items), i => i.Id == gone || i.Cancelled);

        var dinner = view.Days[0].Items[2];
        Assert.Equal((BreakKind.Dinner, Local(2022, 8, 8, 20, 0)), (dinner.BreakKind!.Value, dinner.EndLocal!.Value));
        Assert.Equal(new DateTimeOffset(2022, 8, 9, 0, 0, 0, TimeSpan.Zero), dinner.EndUtc);
        Assert.Equal("Northeastern University", view.Days[1].Items[1].Speakers[0].Affiliation);
        Assert.Contains("\"detailsToCome\":false", Json.Serialize(view));
    }
}
