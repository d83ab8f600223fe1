using SeriesPlatform.Domain;
using static SeriesPlatform.Domain.Tests.Kit;

namespace SeriesPlatform.Domain.Tests.Editions;

public class EditionLifecycleTests
{
    private static readonly DateTimeOffset During = new(2022, 8, 8, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Announce_and_open_registration_are_idempotent()
    {
        var g = Given.Edition(Tufts());
        g.Single<EditionAnnounced>(new AnnounceEdition());
        Assert.Empty(g.When(new AnnounceEdition()));
        Assert.Equal(EditionStatus.Announced, g.State.Status);
        g.Single<EditionRegistrationOpened>(new OpenRegistration());
        Assert.Empty(g.When(new OpenRegistration()));
        g.Single<EditionRegistrationClosed>(new CloseRegistration());
        Assert.Empty(g.When(new CloseRegistration()));
        Assert.False(g.State.RegistrationOpen);
    }

    [Fact]
    public void A_cancelled_edition_takes_no_more_agenda_or_registration_changes()
    {
        var g = Given.Edition(Tufts(), new EditionRegistrationOpened(Now));
        Assert.Equal("venue flooded", g.Single<EditionCancelled>(new CancelEdition("venue flooded")).Reason);
        Assert.False(g.State.RegistrationOpen);
        Assert.Empty(g.When(new CancelEdition()));
        g.Rejects(Talk(Guid.NewGuid(), Local(2022, 8, 8, 9, 0)), "edition-closed");
        g.Rejects(new RegisterAttendee(Guid.NewGuid(), "Ada", "ada@example.org"), "edition-closed");
        g.Rejects(new OpenRegistration(), "edition-closed");
        g.Rejects(new AnnounceEdition(), "edition-closed");
        g.Rejects(new ConcludeEdition(), "edition-closed", During);
        g.Rejects(new OpenBreakout(Guid.NewGuid(), "Topic"), "edition-closed");
    }

    [Fact]
    public void Conclude_only_once_it_has_begun_and_then_nothing_changes()
    {
        var g = Given.Edition(Tufts());
        // 2022-08-08 03:00Z is still 7 August in New York.
        g.Rejects(new ConcludeEdition(), "edition-not-started", new DateTimeOffset(2022, 8, 8, 3, 0, 0, TimeSpan.Zero));
        g.Single<EditionConcluded>(new ConcludeEdition(), During);
        Assert.Empty(g.When(new ConcludeEdition(), During));
        g.Rejects(new CancelEdition(), "edition-closed");
        g.Rejects(new RescheduleEdition(new DateOnly(2022, 8, 9), new DateOnly(2022, 8, 10)), "edition-closed");
    }

    [Fact]
    public void Reschedule_edition_rejects_when_items_would_fall_outside()
    {
        var g = Given.Edition(Tufts());
        g.When(Talk(Guid.NewGuid(), Local(2022, 8, 9, 9, 15), 45));
        g.Rejects(new RescheduleEdition(new DateOnly(2022, 8, 7), new DateOnly(2022, 8, 8)), "items-outside-dates");
        var e = g.Single<EditionRescheduled>(new RescheduleEdition(new DateOnly(2022, 8, 9), new DateOnly(2022, 8, 10)));
        Assert.Equal(2022, e.Year);
        Assert.Empty(g.When(new RescheduleEdition(new DateOnly(2022, 8, 9), new DateOnly(2022, 8, 10))));
        Assert.Contains("endDate", new RescheduleEdition(new DateOnly(2022, 8, 9), new DateOnly(2022, 8, 8)).Validate().Keys);
    }

    [Fact]
    public void Reschedule_edition_gives_dates_to_a_year_only_edition()
    {
        var g = Given.Edition(Planned("America/New_York", null, null, year: 2017, asStated: "2017"));
        g.When(new RescheduleEdition(new DateOnly(2017, 4, 1), new DateOnly(2017, 4, 2)));
        Assert.Equal(new DateOnly(2017, 4, 1), g.State.StartDate);
        Assert.Equal("2017", g.State.DatesAsStated);
    }

    [Fact]
    public void Kyoto_2019_has_eight_organizers_with_affiliations_and_duplicates_are_no_ops()
    {
        var g = Given.Edition(Planned("Asia/Tokyo", new DateOnly(2019, 10, 31), new DateOnly(2019, 11, 2)));
        (string, string)[] organizers =
        [
            ("Koji Hashimoto", "Osaka U"), ("Masatoshi Imada", "Toyota RIKEN / Waseda U"),
            ("Kouji Kashiwa", "Fukuoka Institute of Technology"), ("Yuki Nagai", "JAEA"), ("Masayuki Ohzeki", "Tohoku U"),
            ("Enrico Rinaldi", "Riken & Arithmer Inc."), ("Akinori Tanaka", "RIKEN AIP"), ("Akio Tomiya", "Riken BNL"),
        ];
        foreach (var (name, affiliation) in organizers) g.Single<EditionOrganizerAdded>(new AddEditionOrganizer(name, affiliation));
        Assert.Empty(g.When(new AddEditionOrganizer(" koji hashimoto ", "Osaka U")));
        g.Single<EditionOrganizerAdded>(new AddEditionOrganizer("Koji Hashimoto", "Kyoto U")); // a new affiliation is a new appearance
        Assert.Equal(9, g.State.Organizers.Count);
        Assert.Contains("orcid", new AddEditionOrganizer("X", Orcid: "0000-0002-1825-0098").Validate().Keys);
        Assert.Empty(new AddEditionOrganizer("X", Orcid: "0000-0002-1825-0097").Validate());
    }

    [Fact]
    public void Commands_on_an_unknown_edition_are_not_found()
    {
        Assert.Throws<EntityNotFound>(() => new AnnounceEdition().Decide(new EditionState(), Now));
        Assert.Throws<EntityNotFound>(() => new ScheduleTalk(Guid.NewGuid(), null, null, [], null, null, null, null).Decide(new EditionState(), Now));
    }
}
