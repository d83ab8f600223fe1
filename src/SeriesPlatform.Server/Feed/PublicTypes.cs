namespace SeriesPlatform.Server.Feed;

// The public integration contract: the types of what the feed, the live stream and webhooks carry.
// The `data` of each is written field by field from the stored internal event in PublicEventMapper,
// so renaming or extending an internal event never changes what integrations read. A breaking
// change gets a new type name (`.v2`) next to the old one; a v1 shape only ever gains optional
// fields. The shapes are documented in docs/integrations.md; the tests hold a typed model of each
// (Integrations/Contract) and check the mapper against it.
//
// No personal data: attendee events carry ids and a status, never a name, email or affiliation;
// the edition's virtual meeting URL (a secret for attendees) never appears.

public static class PublicTypes
{
    public const string Prefix = "org.seriesplatform.";
    public const string SeriesCreated = Prefix + "series.created.v1";
    public const string EditionPlanned = Prefix + "edition.planned.v1";
    public const string EditionRescheduled = Prefix + "edition.rescheduled.v1";
    public const string EditionAnnounced = Prefix + "edition.announced.v1";
    public const string RegistrationOpened = Prefix + "edition.registration-opened.v1";
    public const string RegistrationClosed = Prefix + "edition.registration-closed.v1";
    public const string EditionCancelled = Prefix + "edition.cancelled.v1";
    public const string EditionConcluded = Prefix + "edition.concluded.v1";
    public const string TalkScheduled = Prefix + "talk.scheduled.v1";
    public const string TalkRescheduled = Prefix + "talk.rescheduled.v1";
    public const string TalkRevised = Prefix + "talk.revised.v1";
    public const string TalkCancelled = Prefix + "talk.cancelled.v1";
    public const string BreakScheduled = Prefix + "break.scheduled.v1";
    public const string PosterSessionScheduled = Prefix + "poster-session.scheduled.v1";
    public const string BreakoutOpened = Prefix + "breakout.opened.v1";
    public const string BreakoutClosed = Prefix + "breakout.closed.v1";
    public const string AttendeeRegistered = Prefix + "attendee.registered.v1";
    public const string AttendeeWaitlisted = Prefix + "attendee.waitlisted.v1";
    public const string AttendeePromoted = Prefix + "attendee.promoted.v1";
    public const string AttendeeCheckedIn = Prefix + "attendee.checked-in.v1";
    public const string RegistrationCancelled = Prefix + "registration.cancelled.v1";
    public const string SeriesRevised = Prefix + "series.revised.v1";
    public const string SeriesOrganizerAdded = Prefix + "series.organizer-added.v1";
    public const string EditionOrganizerAdded = Prefix + "edition.organizer-added.v1";
    public const string AgendaPublished = Prefix + "agenda.published.v1";
    public const string PosterSubmitted = Prefix + "poster.submitted.v1";
    public const string PosterPrizeAwarded = Prefix + "poster.prize-awarded.v1";
    public const string PeopleMerged = Prefix + "people.merged.v1";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        SeriesCreated, EditionPlanned, EditionRescheduled, EditionAnnounced, RegistrationOpened, RegistrationClosed,
        EditionCancelled, EditionConcluded, TalkScheduled, TalkRescheduled, TalkRevised, TalkCancelled, BreakScheduled,
        PosterSessionScheduled, BreakoutOpened, BreakoutClosed, AttendeeRegistered, AttendeeWaitlisted, AttendeePromoted,
        AttendeeCheckedIn, RegistrationCancelled, SeriesRevised, SeriesOrganizerAdded, EditionOrganizerAdded, AgendaPublished,
        PosterSubmitted, PosterPrizeAwarded, PeopleMerged,
    };
}
