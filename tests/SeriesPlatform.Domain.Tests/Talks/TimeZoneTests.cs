using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Talks;

public class TimeZoneTests
{
    private static readonly Guid A = Guid.NewGuid();

    [Fact]
    public void New_York_spring_forward_day_0915_is_daylight_time_and_shows_0915_local()
    {
        var g = Given.Edition(Planned("America/New_York", new DateOnly(2022, 3, 13), new DateOnly(2022, 3, 14)));
        var e = g.Single<TalkScheduled>(Talk(A, Local(2022, 3, 13, 9, 15), 45));
        Assert.Equal(new DateTimeOffset(2022, 3, 13, 13, 15, 0, TimeSpan.Zero), e.StartUtc); // EDT, UTC-4
        var item = Assert.Single(Assert.Single(AgendaView.Build(g.State).Days).Items);
        Assert.Equal(Local(2022, 3, 13, 9, 15), item.StartLocal);
        Assert.Equal(Local(2022, 3, 13, 10, 0), item.EndLocal);
    }

    [Fact]
    public void Berlin_spring_forward_day_0915_is_summer_time_and_shows_0915_local()
    {
        var g = Given.Edition(Planned("Europe/Berlin", new DateOnly(2018, 3, 25), new DateOnly(2018, 3, 29)));
        var e = g.Single<TalkScheduled>(Talk(A, Local(2018, 3, 25, 9, 15), 45));
        Assert.Equal(new DateTimeOffset(2018, 3, 25, 7, 15, 0, TimeSpan.Zero), e.StartUtc); // CEST, UTC+2
        Assert.Equal(Local(2018, 3, 25, 9, 15), AgendaView.Build(g.State).Days[0].Items[0].StartLocal);
        // The day before is still winter time.
        Assert.Equal(new DateTimeOffset(2018, 3, 24, 8, 15, 0, TimeSpan.Zero), WallClock.ToUtc(Local(2018, 3, 24, 9, 15), "Europe/Berlin"));
    }

    [Fact]
    public void A_time_in_the_spring_forward_gap_is_an_invalid_local_time()
    {
        var g = Given.Edition(Planned("America/New_York", new DateOnly(2022, 3, 13), new DateOnly(2022, 3, 14)));
        g.Rejects(Talk(A, Local(2022, 3, 13, 2, 30), 30), "invalid-local-time");
    }

    [Fact]
    public void A_time_skipped_when_a_zone_changed_its_standard_offset_is_an_invalid_local_time()
    {
        // Kathmandu moved from UTC+5:30 to UTC+5:45 at midnight on 1 January 1986: 00:00-00:14 never happened.
        var kathmandu = Given.Edition(Planned("Asia/Kathmandu", new DateOnly(1986, 1, 1), new DateOnly(1986, 1, 1)));
        kathmandu.Rejects(Talk(A, Local(1986, 1, 1, 0, 10), 20), "invalid-local-time");
        Assert.Equal(new DateTimeOffset(1986, 1, 1, 0, 15, 0, TimeSpan.FromMinutes(345)), kathmandu.Single<TalkScheduled>(Talk(A, Local(1986, 1, 1, 0, 15), 20)).StartUtc);
        // Samoa skipped 30 December 2011 when it crossed the date line.
        var apia = Given.Edition(Planned("Pacific/Apia", new DateOnly(2011, 12, 29), new DateOnly(2011, 12, 31)));
        apia.Rejects(Talk(A, Local(2011, 12, 30, 10, 0), 30), "invalid-local-time");
        apia.Single<TalkScheduled>(Talk(A, Local(2011, 12, 31, 10, 0), 30));
    }

    [Fact]
    public void An_ambiguous_fall_back_time_takes_the_earlier_instant()
    {
        var g = Given.Edition(Planned("America/New_York", new DateOnly(2022, 11, 6), new DateOnly(2022, 11, 6)));
        var e = g.Single<TalkScheduled>(Talk(A, Local(2022, 11, 6, 1, 30), 30));
        Assert.Equal(new DateTimeOffset(2022, 11, 6, 5, 30, 0, TimeSpan.Zero), e.StartUtc); // EDT, not EST
    }

    [Fact]
    public void Duration_is_elapsed_time_across_the_switch()
    {
        var g = Given.Edition(Planned("America/New_York", new DateOnly(2022, 3, 13), new DateOnly(2022, 3, 13)));
        g.When(Talk(A, Local(2022, 3, 13, 1, 30), 60));
        var item = AgendaView.Build(g.State).Days[0].Items[0];
        Assert.Equal(Local(2022, 3, 13, 3, 30), item.EndLocal); // 01:30 EST + 1 h = 03:30 EDT
    }

    [Theory]
    [InlineData("Asia/Tokyo", 9)]
    [InlineData("Asia/Shanghai", 8)]
    [InlineData("Europe/Rome", 2)]
    [InlineData("Europe/Madrid", 2)]
    [InlineData("America/Los_Angeles", -7)]
    public void Zones_of_the_seed_editions_convert(string zone, int offsetHours)
    {
        Assert.Equal(new DateTimeOffset(2019, 7, 1, 12, 0, 0, TimeSpan.FromHours(offsetHours)),
            WallClock.ToUtc(Local(2019, 7, 1, 12, 0), zone));
    }
}
