using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Breakouts;

public class BreakoutTests
{
    private static readonly Guid Id = Guid.NewGuid();

    /// <summary>ICML 2022 WiML un-workshop (virtual), the ML4PS breakout on July 18, 3:25 pm EDT.</summary>
    private static Given<EditionState> WiML() =>
        Given.Edition(Planned("America/New_York", new DateOnly(2022, 7, 18), new DateOnly(2022, 7, 18)));

    private static OpenBreakout Ml4ps(int? capacity = null) => new(Id, "Machine Learning for Physical Sciences",
        new SpeakerRef("A facilitator"), capacity,
        [new Link("WiML-ML4PS Google Group", "https://groups.google.com/g/wiml-ml4ps"),
         new Link("WiML-ML4PS Slack", "https://join.slack.com/t/wiml-ml4ps/shared_invite/zt-1cmcup44z-siMKjDq2I8tFTaADZGmxfA")],
        Local(2022, 7, 18, 15, 25), 60);

    [Fact]
    public void Opens_the_WiML_breakout_with_links_and_its_EDT_slot()
    {
        var e = WiML().Single<BreakoutOpened>(Ml4ps());
        Assert.Equal(new DateTimeOffset(2022, 7, 18, 19, 25, 0, TimeSpan.Zero), e.StartUtc);
        Assert.Equal(2, e.Links.Count);
    }

    [Fact]
    public void Joining_respects_capacity_and_duplicates_are_no_ops()
    {
        var g = WiML();
        g.When(Ml4ps(capacity: 1));
        g.Single<BreakoutJoined>(new JoinBreakout(Id, "Ada"));
        Assert.Empty(g.When(new JoinBreakout(Id, " ada ")));
        g.Rejects(new JoinBreakout(Id, "Bob"), "breakout-full");
    }

    [Fact]
    public void A_closed_breakout_takes_nobody_and_closing_twice_is_a_no_op()
    {
        var g = WiML();
        g.When(Ml4ps());
        g.Single<BreakoutClosed>(new CloseBreakout(Id));
        Assert.Empty(g.When(new CloseBreakout(Id)));
        g.Rejects(new JoinBreakout(Id, "Bob"), "breakout-closed");
    }

    [Fact]
    public void Unknown_breakouts_and_registrations_are_not_found_and_slots_must_be_inside_dates()
    {
        var g = WiML();
        Assert.Throws<EntityNotFound>(() => new JoinBreakout(Id, "Ada").Decide(g.State, Now));
        g.When(Ml4ps());
        Assert.Throws<EntityNotFound>(() => new JoinBreakout(Id, "Ada", Guid.NewGuid()).Decide(g.State, Now));
        g.Rejects(Ml4ps() with { BreakoutId = Guid.NewGuid(), StartLocal = Local(2022, 7, 19, 15, 25) }, "outside-edition-dates");
        g.Rejects(Ml4ps(), "duplicate-id");
    }

    [Fact]
    public void A_breakout_in_a_named_room_may_not_overlap_what_is_scheduled_there_and_talks_may_not_overlap_it()
    {
        var g = WiML();
        g.When(Talk(Guid.NewGuid(), Local(2022, 7, 18, 15, 0), 45, "Hall"));
        // The talk runs 15:00-15:45 in "Hall"; the breakout at 15:25 for an hour would share the room.
        g.Rejects(Ml4ps() with { Room = " hall " }, "slot-overlap");
        // Elsewhere, or in no named room (it runs in parallel), it opens.
        g.Single<BreakoutOpened>(Ml4ps() with { Room = "Room B" });
        g.Single<BreakoutOpened>(Ml4ps() with { BreakoutId = Guid.NewGuid() });
        // Now the breakout holds Room B 15:25-16:25: neither a talk nor another breakout may take it meanwhile.
        g.Rejects(Talk(Guid.NewGuid(), Local(2022, 7, 18, 16, 0), 30, "room b"), "slot-overlap");
        g.Rejects(Ml4ps() with { BreakoutId = Guid.NewGuid(), Room = "Room B", StartLocal = Local(2022, 7, 18, 16, 20) }, "slot-overlap");
        g.Single<TalkScheduled>(Talk(Guid.NewGuid(), Local(2022, 7, 18, 16, 25), 30, "Room B"));
        g.Single<BreakoutOpened>(Ml4ps() with { BreakoutId = Guid.NewGuid(), Room = "Room B", StartLocal = Local(2022, 7, 18, 14, 0) });
    }
}
