using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Talks;

public class SlotRulesTests
{
    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid();

    [Fact]
    public void Schedules_a_talk_with_speakers_affiliations_utc_and_order()
    {
        var g = Given.Edition(Tufts());
        var e = g.Single<TalkScheduled>(Talk(A, Local(2022, 8, 8, 9, 15), 45, title: "Generative models with symmetries for physics",
            speakers: new SpeakerRef("Sébastien Racanière", "DeepMind")));
        Assert.Equal(new DateOnly(2022, 8, 8), e.Day);
        Assert.Equal(new DateTimeOffset(2022, 8, 8, 13, 15, 0, TimeSpan.Zero), e.StartUtc);
        Assert.Equal(new DateTimeOffset(2022, 8, 8, 14, 0, 0, TimeSpan.Zero), e.EndUtc);
        Assert.Equal("DeepMind", Assert.Single(e.Speakers).Affiliation);
        Assert.Equal(1, e.Order);
        Assert.Equal(2, g.Single<TalkScheduled>(Talk(B, Local(2022, 8, 8, 10, 30))).Order);
    }

    [Fact]
    public void Overlap_in_the_same_room_is_rejected_and_names_the_other_item()
    {
        var g = Given.Edition(Tufts());
        g.When(Talk(A, Local(2022, 8, 8, 9, 15), 45));
        var ex = g.Rejects(Talk(B, Local(2022, 8, 8, 9, 30), 30), "slot-overlap");
        Assert.Contains(A.ToString(), ex.Message);
    }

    [Fact]
    public void Rooms_compare_trimmed_and_case_insensitively()
    {
        var g = Given.Edition(Tufts());
        g.When(Talk(A, Local(2022, 8, 8, 9, 15), 45, room: "West 109"));
        g.Rejects(Talk(B, Local(2022, 8, 8, 9, 30), 30, room: " west 109 "), "slot-overlap");
    }

    [Fact]
    public void Same_time_in_different_rooms_is_fine()
    {
        var g = Given.Edition(Tufts());
        g.When(Talk(A, Local(2022, 8, 8, 9, 15), 45, room: "West 109"));
        g.Single<TalkScheduled>(Talk(B, Local(2022, 8, 8, 9, 15), 45, room: "West 110"));
        g.Single<TalkScheduled>(Talk(Guid.NewGuid(), Local(2022, 8, 8, 9, 15), 45)); // main room
    }

    [Fact]
    public void Intervals_are_half_open_and_an_untimed_end_counts_one_minute()
    {
        var g = Given.Edition(Tufts());
        g.When(Talk(A, Local(2022, 8, 8, 9, 15), 45));
        g.Single<TalkScheduled>(Talk(B, Local(2022, 8, 8, 10, 0), 30));           // starts when A ends
        g.Rejects(Talk(Guid.NewGuid(), Local(2022, 8, 8, 9, 59), null), "slot-overlap");
        g.When(new ScheduleBreak(Guid.NewGuid(), BreakKind.Lunch, "Lunch", null, Local(2022, 8, 8, 12, 0), null, null));
        g.Rejects(Talk(Guid.NewGuid(), Local(2022, 8, 8, 11, 30), 31), "slot-overlap");
        g.Single<TalkScheduled>(Talk(Guid.NewGuid(), Local(2022, 8, 8, 12, 1), 30));
    }

    [Fact]
    public void A_cancelled_item_frees_its_slot()
    {
        var g = Given.Edition(Tufts());
        g.When(Talk(A, Local(2022, 8, 8, 9, 15), 45));
        g.Single<TalkCancelled>(new CancelTalk(A, "speaker ill"));
        Assert.Empty(g.When(new CancelTalk(A)));
        g.Single<TalkScheduled>(Talk(B, Local(2022, 8, 8, 9, 15), 45));
    }

    [Theory]
    [InlineData(2022, 8, 10, 9, 0, 30)]   // the day after
    [InlineData(2022, 8, 7, 23, 0, 30)]   // the day before
    [InlineData(2022, 8, 9, 23, 30, 60)]  // ends after midnight of the last day
    public void Outside_the_edition_dates_is_rejected(int y, int mo, int d, int h, int mi, int minutes)
    {
        Given.Edition(Tufts()).Rejects(Talk(A, Local(y, mo, d, h, mi), minutes), "outside-edition-dates");
    }

    [Fact]
    public void Ending_exactly_at_midnight_after_the_last_day_is_inside()
    {
        Given.Edition(Tufts()).Single<TalkScheduled>(Talk(A, Local(2022, 8, 9, 23, 0), 60));
    }

    [Fact]
    public void A_day_without_time_must_be_inside_the_dates_too()
    {
        var g = Given.Edition(Tufts());
        g.Rejects(Talk(A, null, day: new DateOnly(2022, 8, 10)), "outside-edition-dates");
        var e = g.Single<TalkScheduled>(Talk(A, null, day: new DateOnly(2022, 8, 9)));
        Assert.Null(e.StartUtc);
    }

    [Fact]
    public void With_only_a_year_known_the_slot_must_be_in_that_year()
    {
        // string_data 2017: "2017, Northeastern, Boston" is all we know.
        var g = Given.Edition(Planned("America/New_York", null, null, year: 2017, asStated: "2017"));
        g.Rejects(Talk(A, Local(2018, 1, 1, 0, 0), 30), "outside-edition-dates");
        g.Rejects(Talk(A, Local(2017, 12, 31, 23, 45), 30), "outside-edition-dates");
        g.Single<TalkScheduled>(Talk(A, Local(2017, 6, 1, 10, 0), 30));
    }

    [Fact]
    public void With_no_dates_at_all_any_slot_is_accepted()
    {
        // MODE: "September 23 to 25", the year not stated.
        var g = Given.Edition(Planned("Europe/Madrid", null, null, asStated: "September 23 to 25"));
        g.Single<TalkScheduled>(Talk(A, Local(2021, 9, 23, 10, 0), 30));
    }

    [Fact]
    public void Scheduling_the_same_id_twice_is_rejected()
    {
        var g = Given.Edition(Tufts());
        g.When(Talk(A, null));
        g.Rejects(Talk(A, null), "duplicate-id");
    }

    [Fact]
    public void Unknown_items_are_not_found()
    {
        var g = Given.Edition(Tufts());
        Assert.Throws<EntityNotFound>(() => new RescheduleTalk(A, Local(2022, 8, 8, 9, 0)).Decide(g.State, Now));
        Assert.Throws<EntityNotFound>(() => new CancelTalk(A).Decide(g.State, Now));
        Assert.Throws<EntityNotFound>(() => new ReviseTalkDetails(A, "x").Decide(g.State, Now));
    }

    [Fact]
    public void Reschedule_moves_any_item_keeps_duration_and_room_and_checks_overlap_against_others_only()
    {
        var g = Given.Edition(Tufts());
        var coffee = Guid.NewGuid();
        g.When(new ScheduleBreak(coffee, BreakKind.Coffee, "Coffee break", null, Local(2022, 8, 8, 10, 0), 30, "Lobby"));
        g.When(Talk(A, Local(2022, 8, 8, 9, 15), 45));
        var moved = g.Single<TalkRescheduled>(new RescheduleTalk(coffee, Local(2022, 8, 8, 10, 15)));
        Assert.Equal(30, moved.DurationMinutes);
        Assert.Equal("Lobby", moved.Room);
        Assert.Equal(new DateTimeOffset(2022, 8, 8, 14, 45, 0, TimeSpan.Zero), moved.EndUtc);
        // Moving onto itself (overlapping its own old slot) is fine; onto A is not.
        g.Single<TalkRescheduled>(new RescheduleTalk(A, Local(2022, 8, 8, 9, 30)));
        g.Rejects(new RescheduleTalk(A, Local(2022, 8, 8, 10, 0), Room: "Lobby"), "slot-overlap");
        Assert.Empty(g.When(new RescheduleTalk(A, Local(2022, 8, 8, 9, 30))));
        g.Rejects(new RescheduleTalk(A, Local(2022, 8, 12, 9, 30)), "outside-edition-dates");
    }

    [Fact]
    public void A_cancelled_item_cannot_be_rescheduled_or_revised()
    {
        var g = Given.Edition(Tufts());
        g.When(Talk(A, Local(2022, 8, 8, 9, 15), 45));
        g.When(new CancelTalk(A));
        g.Rejects(new RescheduleTalk(A, Local(2022, 8, 8, 11, 0)), "item-cancelled");
        g.Rejects(new ReviseTalkDetails(A, "New"), "item-cancelled");
    }

    [Fact]
    public void Order_follows_the_stated_order_even_without_times()
    {
        // NeurIPS 2019 ML4PS: items listed in order on Sat Dec 14, no times.
        var g = Given.Edition(Planned("America/Los_Angeles", new DateOnly(2019, 12, 14), new DateOnly(2019, 12, 14)));
        var day = new DateOnly(2019, 12, 14);
        var orders = new[]
        {
            g.Single<TalkScheduled>(Talk(Guid.NewGuid(), null, title: "Opening Remarks", kind: TalkKind.Remarks, day: day)).Order,
            g.Single<TalkScheduled>(Talk(Guid.NewGuid(), null, title: null, kind: TalkKind.Invited, day: day,
                speakers: new SpeakerRef("Bernhard Schölkopf"))).Order,
            g.Single<BreakScheduled>(new ScheduleBreak(Guid.NewGuid(), BreakKind.Coffee, "Morning Coffee Break & Poster Session", day, null, null, null)).Order,
        };
        Assert.Equal([1, 2, 3], orders);
    }
}
