namespace SeriesPlatform.Domain;

/// <summary>
/// Stable public event names and their CLR types, for the event store's type registry.
/// Names are a storage contract: never rename one; add a new name for a new shape.
/// </summary>
public static class DomainEvents
{
    public static IReadOnlyList<(string Name, Type Type)> All { get; } =
    [
        ("series.created", typeof(SeriesCreated)),
        ("series.revised", typeof(SeriesRevised)),
        ("series.organizer-added", typeof(SeriesOrganizerAdded)),

        ("edition.planned", typeof(EditionPlanned)),
        ("edition.rescheduled", typeof(EditionRescheduled)),
        ("edition.announced", typeof(EditionAnnounced)),
        ("edition.registration-opened", typeof(EditionRegistrationOpened)),
        ("edition.registration-closed", typeof(EditionRegistrationClosed)),
        ("edition.cancelled", typeof(EditionCancelled)),
        ("edition.concluded", typeof(EditionConcluded)),
        ("edition.organizer-added", typeof(EditionOrganizerAdded)),
        ("agenda.published", typeof(AgendaPublished)),

        ("talk.scheduled", typeof(TalkScheduled)),
        ("break.scheduled", typeof(BreakScheduled)),
        ("poster-session.scheduled", typeof(PosterSessionScheduled)),
        ("talk.rescheduled", typeof(TalkRescheduled)),
        ("talk.details-revised", typeof(TalkDetailsRevised)),
        ("talk.cancelled", typeof(TalkCancelled)),

        ("poster.submitted", typeof(PosterSubmitted)),
        ("poster.prize-awarded", typeof(PosterPrizeAwarded)),

        ("breakout.opened", typeof(BreakoutOpened)),
        ("breakout.joined", typeof(BreakoutJoined)),
        ("breakout.closed", typeof(BreakoutClosed)),

        ("attendee.registered", typeof(AttendeeRegistered)),
        ("attendee.waitlisted", typeof(AttendeeWaitlisted)),
        ("registration.cancelled", typeof(RegistrationCancelled)),
        ("attendee.promoted", typeof(WaitlistedAttendeePromoted)),
        ("attendee.checked-in", typeof(AttendeeCheckedIn)),

        ("people.merged", typeof(PeopleMerged)),
    ];

    public static string NameOf(Type type) =>
        All.FirstOrDefault(x => x.Type == type).Name ?? throw new ArgumentException($"{type.Name} is not a registered event.", nameof(type));

    public static Type? TypeOf(string name) => All.FirstOrDefault(x => x.Name == name).Type;
}
